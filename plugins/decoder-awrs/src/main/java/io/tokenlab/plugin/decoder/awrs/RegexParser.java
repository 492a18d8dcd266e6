package io.tokenlab.plugin.decoder.awrs;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the regular-expression subset constraints use into a syntax tree over code-point sets:
 * literals, escapes (\d \w \s and their negations, \n \t \r \f \v \0, \\uXXXX, escaped
 * metacharacters), '.', classes with ranges and negation, groups ((...) and (?:...)), alternation
 * and the quantifiers * + ? {n} {n,} {n,m}. The whole output must match (no anchors needed; leading
 * ^ and trailing $ are accepted and ignored).
 */
final class RegexParser {
    /** A node of the syntax tree. */
    sealed interface Node permits CharSet, Concat, Alternation, Repeat {
    }

    /** Sorted, disjoint code-point ranges {lo, hi, lo, hi, ...}. */
    record CharSet(int[] ranges) implements Node {
    }

    record Concat(List<Node> parts) implements Node {
    }

    record Alternation(List<Node> options) implements Node {
    }

    /** max = -1 for unbounded. */
    record Repeat(Node body, int min, int max) implements Node {
    }

    static final int MAX_CODE_POINT = 0x10FFFF;
    private final String pattern;
    private int pos;

    private RegexParser(String pattern) {
        this.pattern = pattern;
    }

    static Node parse(String pattern) {
        RegexParser p = new RegexParser(pattern);
        if (p.peek('^')) {
            p.pos++;
        }
        Node n = p.alternation();
        if (p.pos == pattern.length() - 1 && pattern.charAt(p.pos) == '$') {
            p.pos++;
        }
        if (p.pos != pattern.length()) {
            throw p.error("unexpected '" + pattern.charAt(p.pos) + "'");
        }
        return n;
    }

    private IllegalArgumentException error(String message) {
        return new IllegalArgumentException("regex " + pattern + ": " + message + " at position " + pos);
    }

    private boolean peek(char c) {
        return pos < pattern.length() && pattern.charAt(pos) == c;
    }

    private Node alternation() {
        List<Node> options = new ArrayList<>();
        options.add(concat());
        while (peek('|')) {
            pos++;
            options.add(concat());
        }
        return options.size() == 1 ? options.get(0) : new Alternation(options);
    }

    private Node concat() {
        List<Node> parts = new ArrayList<>();
        while (pos < pattern.length() && !peek('|') && !peek(')')) {
            if (peek('$') && pos == pattern.length() - 1) {
                break;
            }
            parts.add(quantified(atom()));
        }
        return new Concat(parts);
    }

    private Node quantified(Node atom) {
        while (pos < pattern.length()) {
            char c = pattern.charAt(pos);
            int min;
            int max;
            if (c == '*') {
                min = 0;
                max = -1;
                pos++;
            } else if (c == '+') {
                min = 1;
                max = -1;
                pos++;
            } else if (c == '?') {
                min = 0;
                max = 1;
                pos++;
            } else if (c == '{' && pos + 1 < pattern.length() && Character.isDigit(pattern.charAt(pos + 1))) {
                pos++;
                min = number();
                max = min;
                if (peek(',')) {
                    pos++;
                    max = peek('}') ? -1 : number();
                }
                if (!peek('}')) {
                    throw error("expected '}'");
                }
                pos++;
                if (max >= 0 && max < min) {
                    throw error("{" + min + "," + max + "} has max < min");
                }
            } else {
                return atom;
            }
            atom = new Repeat(atom, min, max);
        }
        return atom;
    }

    private int number() {
        int start = pos;
        while (pos < pattern.length() && Character.isDigit(pattern.charAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw error("expected a number");
        }
        return Integer.parseInt(pattern.substring(start, pos));
    }

    private Node atom() {
        char c = pattern.charAt(pos);
        switch (c) {
            case '(' -> {
                pos++;
                if (pattern.startsWith("?:", pos)) {
                    pos += 2;
                }
                Node inner = alternation();
                if (!peek(')')) {
                    throw error("expected ')'");
                }
                pos++;
                return inner;
            }
            case '[' -> {
                return charClass();
            }
            case '.' -> {
                pos++;
                return new CharSet(subtract(new int[] {0, MAX_CODE_POINT}, new int[] {'\n', '\n'}));
            }
            case '\\' -> {
                pos++;
                return new CharSet(escape(false));
            }
            case '*', '+', '?', ')' -> throw error("nothing to repeat or unbalanced '" + c + "'");
            default -> {
                int cp = pattern.codePointAt(pos);
                pos += Character.charCount(cp);
                return new CharSet(new int[] {cp, cp});
            }
        }
    }

    private Node charClass() {
        pos++;
        boolean negated = peek('^');
        if (negated) {
            pos++;
        }
        List<int[]> ranges = new ArrayList<>();
        boolean first = true;
        while (pos < pattern.length() && (first || !peek(']'))) {
            first = false;
            int[] item;
            if (peek('\\')) {
                pos++;
                item = escape(true);
            } else {
                int cp = pattern.codePointAt(pos);
                pos += Character.charCount(cp);
                item = new int[] {cp, cp};
            }
            if (item.length == 2 && item[0] == item[1] && peek('-') && pos + 1 < pattern.length()
                    && pattern.charAt(pos + 1) != ']') {
                pos++;
                int hi;
                if (peek('\\')) {
                    pos++;
                    int[] e = escape(true);
                    if (e.length != 2 || e[0] != e[1]) {
                        throw error("a class range cannot end in a class");
                    }
                    hi = e[0];
                } else {
                    hi = pattern.codePointAt(pos);
                    pos += Character.charCount(hi);
                }
                if (hi < item[0]) {
                    throw error("range out of order");
                }
                item = new int[] {item[0], hi};
            }
            ranges.add(item);
        }
        if (!peek(']')) {
            throw error("unterminated class");
        }
        pos++;
        int[] set = union(ranges);
        return new CharSet(negated ? subtract(new int[] {0, MAX_CODE_POINT}, set) : set);
    }

    private int[] escape(boolean inClass) {
        if (pos >= pattern.length()) {
            throw error("dangling backslash");
        }
        char c = pattern.charAt(pos++);
        int[] digit = {'0', '9'};
        int[] word = union(List.of(new int[] {'0', '9'}, new int[] {'A', 'Z'}, new int[] {'_', '_'}, new int[] {'a', 'z'}));
        int[] space = union(List.of(new int[] {'\t', '\r'}, new int[] {' ', ' '}));
        int[] all = {0, MAX_CODE_POINT};
        return switch (c) {
            case 'd' -> digit;
            case 'D' -> subtract(all, digit);
            case 'w' -> word;
            case 'W' -> subtract(all, word);
            case 's' -> space;
            case 'S' -> subtract(all, space);
            case 'n' -> new int[] {'\n', '\n'};
            case 't' -> new int[] {'\t', '\t'};
            case 'r' -> new int[] {'\r', '\r'};
            case 'f' -> new int[] {'\f', '\f'};
            case 'v' -> new int[] {0x0B, 0x0B};
            case '0' -> new int[] {0, 0};
            case 'u' -> {
                if (pos + 4 > pattern.length()) {
                    throw error("\\u needs four hex digits");
                }
                int cp = Integer.parseInt(pattern.substring(pos, pos + 4), 16);
                pos += 4;
                yield new int[] {cp, cp};
            }
            case 'x' -> {
                if (pos + 2 > pattern.length()) {
                    throw error("\\x needs two hex digits");
                }
                int cp = Integer.parseInt(pattern.substring(pos, pos + 2), 16);
                pos += 2;
                yield new int[] {cp, cp};
            }
            default -> {
                if (Character.isLetterOrDigit(c)) {
                    throw error("unsupported escape \\" + c);
                }
                yield new int[] {c, c};
            }
        };
    }

    static int[] union(List<int[]> sets) {
        List<int[]> pairs = new ArrayList<>();
        for (int[] s : sets) {
            for (int i = 0; i < s.length; i += 2) {
                pairs.add(new int[] {s[i], s[i + 1]});
            }
        }
        pairs.sort((a, b) -> Integer.compare(a[0], b[0]));
        List<Integer> out = new ArrayList<>();
        for (int[] p : pairs) {
            int n = out.size();
            if (n > 0 && p[0] <= out.get(n - 1) + 1) {
                out.set(n - 1, Math.max(out.get(n - 1), p[1]));
            } else {
                out.add(p[0]);
                out.add(p[1]);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    static int[] subtract(int[] from, int[] remove) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < from.length; i += 2) {
            int lo = from[i];
            int hi = from[i + 1];
            for (int j = 0; j < remove.length && lo <= hi; j += 2) {
                if (remove[j + 1] < lo || remove[j] > hi) {
                    continue;
                }
                if (remove[j] > lo) {
                    out.add(lo);
                    out.add(remove[j] - 1);
                }
                lo = remove[j + 1] + 1;
            }
            if (lo <= hi) {
                out.add(lo);
                out.add(hi);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
