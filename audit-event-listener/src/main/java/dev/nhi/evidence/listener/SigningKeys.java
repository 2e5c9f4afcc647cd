package dev.nhi.evidence.listener;

import dev.nhi.evidence.core.Checkpoints;
import dev.nhi.evidence.verify.EvidenceCli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.util.List;
import java.util.NoSuchElementException;
import org.jboss.logging.Logger;

/** The checkpoint key: the configured one, the one generated before, or a new one. */
final class SigningKeys {
    private static final Logger LOG = Logger.getLogger("dev.nhi.evidence.delivery");
    static final String PRIVATE_FILE = "signing-key.pem";

    private SigningKeys() {
    }

    static KeyPair load(EvidenceConfig config) throws IOException {
        Chosen chosen = choose(config);
        KeyPair pair = chosen.pair();
        String keyId = Checkpoints.keyId(pair.getPublic());
        List<String> others = publish(config.fileDir(), pair.getPublic());
        if (!others.isEmpty() && chosen.generated()) {
            // a node that just generated its key beside a sink that knows others: a cluster whose nodes each
            // generate a key, or a node whose data directory (and key) was lost
            LOG.warnf("generated the evidence signing key %s, but the file sink in %s already holds checkpoints'"
                    + " keys %s: on a cluster, give every node the same signing-key", keyId, config.fileDir(),
                    String.join(", ", others));
        } else if (!others.isEmpty()) {
            LOG.infof("the evidence signing key is now %s; the file sink in %s keeps the public keys of %s too,"
                    + " whose checkpoints are in the chains", keyId, config.fileDir(), String.join(", ", others));
        }
        return pair;
    }

    /** The key to sign with, and whether it was generated just now. */
    private record Chosen(KeyPair pair, boolean generated) {
    }

    private static Chosen choose(EvidenceConfig config) throws IOException {
        if (config.signingKey() != null && !config.signingKey().isBlank()) {
            String pem = config.signingKey().contains("-----BEGIN") ? config.signingKey()
                    : Files.readString(Path.of(config.signingKey()), StandardCharsets.US_ASCII);
            return new Chosen(pairOf(Checkpoints.readPrivate(pem)), false);
        }
        Path file = config.keyDir().resolve(PRIVATE_FILE);
        if (Files.isRegularFile(file)) {
            String pem = Files.readString(file, StandardCharsets.US_ASCII);
            return new Chosen(pairOf(Checkpoints.readPrivate(pem)), false);
        }
        KeyPair pair = Checkpoints.generate();
        Files.createDirectories(config.keyDir());
        Files.writeString(file, Checkpoints.privatePem(pair.getPrivate()), StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            LOG.warnf("cannot restrict the permissions of %s on this file system", file);
        }
        Files.writeString(config.keyDir().resolve(EvidenceCli.PUBLIC_KEY_FILE), Checkpoints.publicPem(pair.getPublic()),
                StandardCharsets.US_ASCII);
        LOG.infof("generated the evidence signing key %s in %s", Checkpoints.keyId(pair.getPublic()), config.keyDir());
        return new Chosen(pair, true);
    }

    private static KeyPair pairOf(PrivateKey key) {
        return new KeyPair(publicOf(key), key);
    }

    /**
     * The public key goes beside the file sink's realm folders too, where the verifier looks by default. That
     * file keeps every key that has signed there, so that the checkpoints of a replaced key, or of another
     * node's, still verify: a key it lacks is appended.
     *
     * @return the ids of the keys the file held before, when {@code key} was appended; none when it was there
     */
    static List<String> publish(Path fileDir, PublicKey key) throws IOException {
        Files.createDirectories(fileDir);
        Path file = fileDir.resolve(EvidenceCli.PUBLIC_KEY_FILE);
        String keyId = Checkpoints.keyId(key);
        List<String> published = List.of();
        if (Files.isRegularFile(file)) {
            try {
                published = Checkpoints.readPublicKeys(Files.readString(file, StandardCharsets.US_ASCII)).stream()
                        .map(Checkpoints::keyId).toList();
            } catch (IllegalArgumentException e) {
                LOG.warnf("%s holds no readable public key (%s); the signing key %s is appended to it", file,
                        e.getMessage(), keyId);
            }
        }
        if (published.contains(keyId)) {
            return List.of();
        }
        Files.writeString(file, Checkpoints.publicPem(key), StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        return published;
    }

    /**
     * Derives the Ed25519 public key from the private one, so that only the private key need be configured:
     * the JDK has no direct call, so a generator fed the private key's own seed rebuilds the same pair.
     */
    static PublicKey publicOf(PrivateKey key) {
        try {
            byte[] seed = ((EdECPrivateKey) key).getBytes().orElseThrow();
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new FixedSeed(seed));
            return generator.generateKeyPair().getPublic();
        } catch (GeneralSecurityException | ClassCastException | NoSuchElementException e) {
            throw new IllegalArgumentException("cannot derive the public key of the signing key: " + e.getMessage(), e);
        }
    }

    private static final class FixedSeed extends SecureRandom {
        private final byte[] seed;

        FixedSeed(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
        }
    }
}
