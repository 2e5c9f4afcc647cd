package dev.nhi.evidence.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checkpoints: a {@code checkpoint} record signs, with Ed25519 (the JDK's own), the head of its realm's
 * chain as it stood before it: {@code {"head": <prev>, "realm": <realm>, "seq": <seq − 1>}} in
 * canonical JSON. Someone who can rewrite the sink can recompute hashes, but cannot forge these
 * signatures without the private key. Keys travel as PEM: PKCS#8 for the private key, X.509
 * SubjectPublicKeyInfo for the public one.
 */
public final class Checkpoints {
    public static final String TYPE = "checkpoint";
    private static final String ALGORITHM = "Ed25519";

    private Checkpoints() {
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no Ed25519", e);
        }
    }

    /** The {@code details} of a checkpoint record that seals everything up to the chain's current head. */
    public static Map<String, Object> details(Chain chain, PrivateKey key, PublicKey publicKey) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("head", chain.head());
        details.put("upTo", chain.seq());
        details.put("keyId", keyId(publicKey));
        details.put("signature", Base64.getEncoder().encodeToString(sign(key, message(chain.realm(), chain.seq(),
                chain.head()))));
        return details;
    }

    /** Whether a checkpoint record's signature is valid for {@code publicKey} and names the head it follows. */
    public static boolean verify(Map<String, Object> checkpoint, PublicKey publicKey) {
        if (!(checkpoint.get("details") instanceof Map<?, ?> details)
                || !(details.get("signature") instanceof String signature)
                || !(checkpoint.get("seq") instanceof Long seq)
                || !(checkpoint.get("realm") instanceof String realm)
                || !(checkpoint.get("prev") instanceof String prev)
                || !prev.equals(details.get("head")) || !Long.valueOf(seq - 1).equals(details.get("upTo"))) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(publicKey);
            verifier.update(message(realm, seq - 1, prev));
            return verifier.verify(Base64.getDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The first 16 hex digits of the SHA-256 of the public key's encoding: names the key in each checkpoint. */
    public static String keyId(PublicKey key) {
        return Chain.sha256(Base64.getEncoder().encodeToString(key.getEncoded())).substring(0, 16);
    }

    private static byte[] message(String realm, long seq, String head) {
        Map<String, Object> signed = new LinkedHashMap<>();
        signed.put("head", head);
        signed.put("realm", realm);
        signed.put("seq", seq);
        return CanonicalJson.write(signed).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] sign(PrivateKey key, byte[] message) {
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(key);
            signer.update(message);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a checkpoint: " + e.getMessage(), e);
        }
    }

    public static String privatePem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    public static String publicPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    public static PrivateKey readPrivate(String pem) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der(pem, "PRIVATE KEY")));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 PKCS#8 private key: " + e.getMessage(), e);
        }
    }

    /**
     * Every public key in {@code pem}, in order: a file may hold several, one per signing key that has
     * sealed the chains (a rotated key, or each node's own).
     */
    public static List<PublicKey> readPublicKeys(String pem) {
        List<PublicKey> keys = new ArrayList<>();
        for (byte[] der : ders(pem, "PUBLIC KEY")) {
            try {
                keys.add(KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der)));
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
            }
        }
        return keys;
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + label + "-----\n";
    }

    /** The first PEM block labelled {@code label}. */
    private static byte[] der(String pem, String label) {
        return ders(pem, label).get(0);
    }

    /** Every PEM block labelled {@code label}; at least one. */
    private static List<byte[]> ders(String pem, String label) {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        List<byte[]> blocks = new ArrayList<>();
        for (int from = pem.indexOf(begin); from >= 0; from = pem.indexOf(begin, from + begin.length())) {
            int to = pem.indexOf(end, from);
            if (to < 0) {
                throw new IllegalArgumentException("the PEM block '" + label + "' has no end");
            }
            try {
                blocks.add(Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the PEM block '" + label + "' is not base64", e);
            }
        }
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("no PEM block '" + label + "'");
        }
        return blocks;
    }
}
