package org.bouncekit.dnsauth;

import java.util.List;

/**
 * The DKIM verification of a message: one result per signature, in the order of the header.
 *
 * <p>Immutable; thread-safe.
 *
 * @param signatures the signatures' results (at most the verifier's {@code maxSignatures})
 * @param problems   message-level problems (signatures beyond the limit, an unreadable header)
 */
public record DkimResult(List<DkimSignatureResult> signatures, List<String> problems) {

    /**
     * Creates the value; lists are copied.
     *
     * @param signatures see {@link #signatures()}
     * @param problems   see {@link #problems()}
     */
    public DkimResult {
        signatures = List.copyOf(signatures);
        problems = List.copyOf(problems);
    }

    /**
     * The message's verdict: the best of its signatures ({@code pass} if any passes, then {@code fail},
     * {@code policy}, {@code neutral}, {@code temperror}, {@code permerror}), or {@code none} without signature.
     *
     * @return the verdict
     */
    public DkimVerdict verdict() {
        DkimVerdict best = DkimVerdict.NONE;
        for (DkimSignatureResult s : signatures) {
            if (best == DkimVerdict.NONE || s.verdict().ordinal() < best.ordinal()) {
                best = s.verdict();
            }
        }
        return best;
    }

    /**
     * @param domain a domain
     * @return whether a signature by exactly that domain passes
     */
    public boolean passesFor(String domain) {
        for (DkimSignatureResult s : signatures) {
            if (s.verdict() == DkimVerdict.PASS && s.domain() != null && s.domain().equalsIgnoreCase(domain)) {
                return true;
            }
        }
        return false;
    }
}
