package io.tokenlab.runtime.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AddressTest {
    @Test
    void defaultsToLoopbackPort8421() {
        Address a = Address.parse("");
        assertThat(a.host()).isEqualTo("127.0.0.1");
        assertThat(a.port()).isEqualTo(8421);
        assertThat(a.loopback()).isTrue();
        assertThat(a.url()).isEqualTo("http://127.0.0.1:8421/");
    }

    @Test
    void portAloneKeepsLoopback() {
        assertThat(Address.parse("9000")).isEqualTo(new Address("127.0.0.1", 9000, true));
    }

    @Test
    void wildcardAndIpv6AreNotLoopbackButV6LoopbackIs() {
        assertThat(Address.parse("0.0.0.0:9000").loopback()).isFalse();
        assertThat(Address.parse("[::1]:9000").loopback()).isTrue();
        assertThat(Address.parse("[::1]:9000").url()).isEqualTo("http://[::1]:9000/");
        assertThat(Address.parse("localhost:80").loopback()).isTrue();
    }

    @Test
    void badInputNamesTheValueAndWhatIsAccepted() {
        assertThatThrownBy(() -> Address.parse("127.0.0.1:http")).hasMessageContaining("'http' is not a port number")
                .hasMessageContaining("accepted: PORT, HOST:PORT");
        assertThatThrownBy(() -> Address.parse("70000")).hasMessageContaining("outside 1..65535");
        assertThatThrownBy(() -> Address.parse("::1:80")).hasMessageContaining("[ADDRESS]:PORT");
    }
}
