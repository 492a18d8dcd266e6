package io.tokenlab.plugin.decoder.awrs;

import io.tokenlab.api.decoder.ByteConstraint;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ByteAutomatonTest {
    private static boolean accepts(ByteConstraint c, String s) {
        int state = c.run(c.start(), s.getBytes(StandardCharsets.UTF_8));
        return c.accepting(state);
    }

    @Test
    void agreesWithJavaRegexOnRandomStrings() {
        List<String> patterns = List.of("a(b|c)*d", "[a-c]{2,4}x?", "(ab|a)(bc|c)", "[^ab]+b", "\\d{1,3}(\\.\\d+)?",
                "(?:x|yz){3}", "[\\w-]+@[a-z]+\\.(com|org)", "é[α-ω]+.", "\"([^\"\\\\]|\\\\.)*\"", "(a|b)*abb");
        String alphabet = "abcdxyz.-@019é\"\\αβω ";
        Random r = new Random(1);
        for (String p : patterns) {
            ByteAutomaton automaton = ByteAutomaton.compile(p);
            Pattern java = Pattern.compile(p);
            int agreeOnMatches = 0;
            for (int trial = 0; trial < 3000; trial++) {
                StringBuilder sb = new StringBuilder();
                int n = r.nextInt(8);
                for (int i = 0; i < n; i++) {
                    sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
                }
                String s = sb.toString();
                boolean expected = java.matcher(s).matches();
                assertThat(accepts(automaton, s)).as("%s on '%s'", p, s).isEqualTo(expected);
                agreeOnMatches += expected ? 1 : 0;
            }
            for (String s : List.of("abd", "acbd", "ab", "abc", "123.45", "xyzx", "a-b@x.org", "éαβ!", "\"a\\\"b\"", "abb")) {
                assertThat(accepts(automaton, s)).as("%s on '%s'", p, s).isEqualTo(java.matcher(s).matches());
            }
        }
    }

    @Test
    void rejectsPrefixesThatCannotBeCompletedAndKnowsTheShortestCompletion() {
        ByteAutomaton a = ByteAutomaton.compile("ab{3}c|xy");
        int afterA = a.run(a.start(), "a".getBytes(StandardCharsets.UTF_8));
        assertThat(afterA).isNotEqualTo(ByteConstraint.REJECT);
        assertThat(a.bytesToAccept(afterA)).isEqualTo(4);
        assertThat(a.run(a.start(), "ac".getBytes(StandardCharsets.UTF_8))).isEqualTo(ByteConstraint.REJECT);
        assertThat(a.bytesToAccept(a.start())).isEqualTo(2);
    }

    @Test
    void jsonSchemaAcceptsExactlyTheDocumentsItDescribes() {
        ByteAutomaton a = AwrsDecoder.jsonSchema("{\"type\":\"object\",\"properties\":{"
                + "\"id\":{\"type\":\"integer\"},\"name\":{\"type\":\"string\",\"maxLength\":5},"
                + "\"ok\":{\"type\":\"boolean\"},\"tags\":{\"type\":\"array\",\"items\":{\"enum\":[\"a\",\"b\"]},\"maxItems\":2}},"
                + "\"required\":[\"id\"]}");
        for (String good : List.of("{\"id\":1}", "{\"id\": -20, \"name\": \"abc\"}", "{\"id\":0,\"ok\":true}",
                "{\"id\":7,\"name\":\"\",\"ok\":false,\"tags\":[\"a\", \"b\"]}", "{\"id\":3,\"tags\":[]}",
                "{\"id\":3,\"name\":\"x\\\"y\"}")) {
            assertThat(accepts(a, good)).as(good).isTrue();
        }
        for (String bad : List.of("{}", "{\"name\":\"a\"}", "{\"id\":01}", "{\"id\":1,}", "{\"id\":1,\"name\":\"toolong\"}",
                "{\"id\":1,\"tags\":[\"c\"]}", "{\"id\":1,\"tags\":[\"a\",\"b\",\"a\"]}", "{\"ok\":true,\"id\":1}",
                "{\"id\":1} ")) {
            assertThat(accepts(a, bad)).as(bad).isFalse();
        }
    }
}
