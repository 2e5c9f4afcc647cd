package dev.nhi.evidence.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChainVerifierTest {
    private static final KeyPair KEYS = Checkpoints.generate();

    private static ChainVerifier.Failure verify(List<String> lines, boolean allowUnsealedTail) {
        return verify(lines, allowUnsealedTail, List.of(KEYS.getPublic()));
    }

    private static ChainVerifier.Failure verify(List<String> lines, boolean allowUnsealedTail, List<PublicKey> keys) {
        ChainVerifier verifier = new ChainVerifier(keys, null);
        for (String line : lines) {
            ChainVerifier.Failure failure = verifier.accept(line);
            if (failure != null) {
                return failure;
            }
        }
        return verifier.finish(allowUnsealedTail);
    }

    @Test
    void anIntactChainVerifies() {
        List<String> lines = ChainVerifierFixture.chain("acme", 25, 10, KEYS);
        assertThat(verify(lines, false)).isNull();
        assertThat(lines.get(0)).contains("\"prev\":\"" + Chain.GENESIS + "\"").contains("\"seq\":1");
    }

    @Test
    void anEditedFieldIsNamedAtItsSeq() {
        List<String> lines = ChainVerifierFixture.chain("acme", 25, 10, KEYS);
        lines.set(4, lines.get(4).replace("\"scope\":\"read\"", "\"scope\":\"admin\""));
        assertThat(verify(lines, false)).isEqualTo(new ChainVerifier.Failure(5, "hash does not match the record's"
                + " content (the record was altered)"));
    }

    @Test
    void anEditWithRecomputedHashesIsCaughtByTheNextCheckpoint() {
        List<String> lines = ChainVerifierFixture.chain("acme", 25, 10, KEYS);
        // Rewrite record 3 and re-chain everything after it, as someone with write access to the sink could.
        List<String> forged = new ArrayList<>();
        Chain rechained = new Chain("acme", 0, null);
        for (String line : lines) {
            @SuppressWarnings("unchecked")
            Map<String, Object> record = new LinkedHashMap<>((Map<String, Object>) CanonicalJson.parse(line));
            if (Long.valueOf(3).equals(record.get("seq"))) {
                record.put("details", Map.of("scope", "admin"));
            }
            for (String derived : List.of("v", "realm", "seq", "prev", "hash")) {
                record.remove(derived);
            }
            forged.add(CanonicalJson.write(rechained.append(record)));
        }
        ChainVerifier.Failure failure = verify(forged, false);
        assertThat(failure.seq()).as("the first checkpoint after the edit").isEqualTo(11);
        assertThat(failure.message()).contains("checkpoint signature does not verify");
    }

    @Test
    void theExactTextIsHashedSoARewrittenButEqualRecordIsAlteredAndGarbageIsUnreadable() {
        List<String> spaced = new ArrayList<>(ChainVerifierFixture.chain("r", 10, 5, KEYS));
        spaced.set(3, spaced.get(3).replace("\"type\":", "\"type\": "));
        assertThat(verify(spaced, false)).isEqualTo(new ChainVerifier.Failure(4, "hash does not match the record's"
                + " content (the record was altered)"));
        List<String> garbage = new ArrayList<>(ChainVerifierFixture.chain("r", 10, 5, KEYS));
        garbage.set(2, "not json");
        assertThat(verify(garbage, false).seq()).isEqualTo(3);
        assertThat(verify(garbage, false).message()).startsWith("unreadable");
    }

    @Test
    void aDeletedRecordIsAGap() {
        List<String> lines = ChainVerifierFixture.chain("acme", 25, 10, KEYS);
        lines.remove(6);
        assertThat(verify(lines, false).seq()).isEqualTo(7);
        assertThat(verify(lines, false).message()).contains("expected seq 7 but found 8");
    }

    @Test
    void swappedRecordsAreOutOfOrder() {
        List<String> lines = ChainVerifierFixture.chain("acme", 25, 10, KEYS);
        String third = lines.get(2);
        lines.set(2, lines.get(3));
        lines.set(3, third);
        assertThat(verify(lines, false).seq()).isEqualTo(3);
    }

    @Test
    void aCutTailIsNotSealed() {
        List<String> lines = ChainVerifierFixture.chain("acme", 25, 10, KEYS);
        List<String> cut = lines.subList(0, lines.size() - 3);
        assertThat(verify(cut, false).message()).contains("not sealed by a checkpoint");
        assertThat(verify(cut, false).seq()).isEqualTo(23);
        assertThat(verify(cut, true)).as("a live chain may be verified with its unsealed tail").isNull();
    }

    @Test
    void aForeignKeyOrForgedSignatureIsRefused() {
        KeyPair foreign = Checkpoints.generate();
        List<String> signedByAnother = ChainVerifierFixture.chain("acme", 5, 10, foreign);
        assertThat(verify(signedByAnother, false).message()).isEqualTo("checkpoint signed with key "
                + Checkpoints.keyId(foreign.getPublic()) + ", which is not among the keys given ("
                + Checkpoints.keyId(KEYS.getPublic()) + ")");
        List<String> lines = ChainVerifierFixture.chain("acme", 5, 10, KEYS);
        String last = lines.get(lines.size() - 1);
        String forged = last.replaceFirst("\"signature\":\"[A-Za-z0-9+/=]+\"", "\"signature\":\"AAAA\"");
        assertThat(forged).isNotEqualTo(last);
        lines.set(lines.size() - 1, forged);
        assertThat(verify(lines, false).seq()).isEqualTo(6);
    }

    @Test
    void aCheckpointNamingAGivenKeyButSignedByAnotherIsForged() {
        List<String> lines = ChainVerifierFixture.chain("acme", 5, 10, KEYS);
        int last = lines.size() - 1;
        @SuppressWarnings("unchecked")
        Map<String, Object> checkpoint = new LinkedHashMap<>((Map<String, Object>) CanonicalJson.parse(lines.get(last)));
        Chain before = new Chain("acme", (Long) checkpoint.get("seq") - 1, (String) checkpoint.get("prev"));
        checkpoint.put("details", Checkpoints.details(before, Checkpoints.generate().getPrivate(), KEYS.getPublic()));
        checkpoint.put("hash", Chain.hashOf(checkpoint));
        lines.set(last, CanonicalJson.write(checkpoint));
        assertThat(verify(lines, false)).isEqualTo(new ChainVerifier.Failure(6, "checkpoint signature does not verify"
                + " with key " + Checkpoints.keyId(KEYS.getPublic()) + " (the chain up to here differs from what was"
                + " signed, or the signature is forged)"));
    }

    /** A replaced key, or a cluster whose nodes each have their own: each checkpoint verifies with the key it names. */
    @Test
    void aChainSealedByTwoKeysVerifiesWithBothAndNamesTheMissingOne() {
        KeyPair replacement = Checkpoints.generate();
        List<String> lines = ChainVerifierFixture.chain("acme", 30, 10, List.of(KEYS, replacement));
        assertThat(verify(lines, false, List.of(KEYS.getPublic(), replacement.getPublic()))).isNull();
        ChainVerifier.Failure withTheFirstOnly = verify(lines, false);
        assertThat(withTheFirstOnly.seq()).as("the second checkpoint").isEqualTo(22);
        assertThat(withTheFirstOnly.message()).startsWith("checkpoint signed with key "
                + Checkpoints.keyId(replacement.getPublic()) + ", which is not among the keys given");
        assertThatThrownBy(() -> new ChainVerifier(List.of(), null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keysRoundTripThroughPemAndAFileMayHoldSeveral() {
        KeyPair second = Checkpoints.generate();
        String both = Checkpoints.publicPem(KEYS.getPublic()) + Checkpoints.publicPem(second.getPublic());
        assertThat(Checkpoints.readPublicKeys(both)).extracting(Checkpoints::keyId)
                .containsExactly(Checkpoints.keyId(KEYS.getPublic()), Checkpoints.keyId(second.getPublic()));
        assertThatThrownBy(() -> Checkpoints.readPublicKeys("no key here")).hasMessageContaining("no PEM block");
        assertThat(Checkpoints.readPrivate(Checkpoints.privatePem(KEYS.getPrivate())).getEncoded())
                .isEqualTo(KEYS.getPrivate().getEncoded());
    }
}
