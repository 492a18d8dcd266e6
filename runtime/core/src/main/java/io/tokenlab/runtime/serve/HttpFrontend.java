package io.tokenlab.runtime.serve;

/**
 * The HTTP frontend of a running runtime, provided by the runtime/http bundle when it is installed.
 * {@code tokenlab start --http} asks it to serve; without that option it serves only what the
 * operator configured (framework property {@code tokenlab.http} or ConfigAdmin PID
 * {@code io.tokenlab.http}).
 */
public interface HttpFrontend {
    /**
     * Starts serving and returns the base URL once the port accepts connections.
     *
     * @param address {@code [HOST:]PORT}, empty for the default, or null for the configured address only
     * @return the base URL ({@code http://host:port/}), or null when address is null and none is configured
     * @throws IllegalArgumentException the address or the security settings do not allow serving (the
     *                                  message says why and what is accepted)
     * @throws IllegalStateException    the port could not be bound
     */
    String serve(String address);
}
