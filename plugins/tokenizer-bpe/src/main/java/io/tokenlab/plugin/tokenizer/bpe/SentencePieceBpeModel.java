package io.tokenlab.plugin.tokenizer.bpe;

import java.util.PriorityQueue;

/**
 * SentencePiece's BPE encoding (model_type=bpe): start from characters (user-defined pieces whole),
 * repeatedly merge the adjacent pair whose concatenation is a piece of the highest score (the
 * leftmost on ties). Characters no piece covers are unknown; a run of them is one unknown token,
 * or its UTF-8 bytes with byte fallback.
 */
final class SentencePieceBpeModel implements SubwordModel {
    private final CharTrie pieces;
    private final CharTrie userDefined;
    private final double[] scores;
    private final int unknownId;
    private final int[] byteIds;

    SentencePieceBpeModel(CharTrie pieces, CharTrie userDefined, double[] scores, int unknownId, int[] byteIds) {
        this.pieces = pieces;
        this.userDefined = userDefined;
        this.scores = scores;
        this.unknownId = unknownId;
        this.byteIds = byteIds;
    }

    private record Pair(int left, int right, float score, int length) {
    }

    @Override
    public void encode(String s, IntList ids, IntList starts, IntList ends) {
        int n = s.length();
        if (n == 0) {
            return;
        }
        // symbols as [start, end) spans in a doubly linked list
        int[] symStart = new int[n];
        int[] symEnd = new int[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        int count = 0;
        for (int i = 0; i < n; ) {
            int end;
            long m = userDefined == null ? -1 : userDefined.longestMatch(s, i, n);
            if (m >= 0) {
                end = (int) (m >>> 32);
            } else {
                end = i + Character.charCount(s.codePointAt(i));
            }
            symStart[count] = i;
            symEnd[count] = end;
            prev[count] = count - 1;
            next[count] = -1;
            if (count > 0) {
                next[count - 1] = count;
            }
            count++;
            i = end;
        }
        PriorityQueue<Pair> agenda = new PriorityQueue<>((a, b) -> a.score != b.score
                ? Float.compare(b.score, a.score) : Integer.compare(a.left, b.left));
        for (int k = 0; k + 1 < count; k++) {
            offer(s, symStart, symEnd, k, k + 1, agenda);
        }
        while (!agenda.isEmpty()) {
            Pair top = agenda.poll();
            if (symEnd[top.left] <= symStart[top.left] || symEnd[top.right] <= symStart[top.right]
                    || symEnd[top.right] - symStart[top.left] != top.length || next[top.left] != top.right) {
                continue;
            }
            symEnd[top.left] = symEnd[top.right];
            symStart[top.right] = symEnd[top.right]; // emptied
            next[top.left] = next[top.right];
            if (next[top.right] >= 0) {
                prev[next[top.right]] = top.left;
            }
            if (prev[top.left] >= 0) {
                offer(s, symStart, symEnd, prev[top.left], top.left, agenda);
            }
            if (next[top.left] >= 0) {
                offer(s, symStart, symEnd, top.left, next[top.left], agenda);
            }
        }
        int unknownFrom = -1;
        int unknownTo = -1;
        for (int k = 0; k >= 0 && k < count; k = next[k]) {
            int id = pieces.get(s, symStart[k], symEnd[k]);
            if (id < 0) {
                if (unknownFrom < 0) {
                    unknownFrom = symStart[k];
                }
                unknownTo = symEnd[k];
                continue;
            }
            if (unknownFrom >= 0) {
                unknown(s, unknownFrom, unknownTo, ids, starts, ends);
                unknownFrom = -1;
            }
            ids.add(id);
            if (starts != null) {
                starts.add(symStart[k]);
                ends.add(symEnd[k]);
            }
        }
        if (unknownFrom >= 0) {
            unknown(s, unknownFrom, unknownTo, ids, starts, ends);
        }
    }

    private void offer(String s, int[] symStart, int[] symEnd, int left, int right, PriorityQueue<Pair> agenda) {
        int id = pieces.get(s, symStart[left], symEnd[right]);
        if (id >= 0) {
            agenda.add(new Pair(left, right, (float) scores[id], symEnd[right] - symStart[left]));
        }
    }

    private void unknown(String s, int from, int to, IntList ids, IntList starts, IntList ends) {
        if (byteIds != null) {
            for (byte b : s.substring(from, to).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                ids.add(byteIds[b & 0xFF]);
                if (starts != null) {
                    starts.add(from);
                    ends.add(to);
                }
            }
            return;
        }
        ids.add(unknownId);
        if (starts != null) {
            starts.add(from);
            ends.add(to);
        }
    }
}
