package io.tokenlab.runtime.registry;

/** Where a technique stands in the running runtime. */
public enum TechniqueState {
    /** Its service is registered and can run. */
    ACTIVE,
    /** Its bundle is installed but cannot resolve; the detail names the missing requirement. */
    UNRESOLVED,
    /** Its component or its last run failed; the detail holds the exception. */
    FAILED,
    /** It was there and its bundle was removed; pipelines that use it are unavailable. */
    REMOVED,
    /** Another bundle offers the same technique and version and serves the runs; this one is not used. */
    CONFLICT;

    public String label() {
        return name().toLowerCase();
    }
}
