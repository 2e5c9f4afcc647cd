package dev.nhi.evidence.verify;

import dev.nhi.evidence.core.ChainVerifier;
import dev.nhi.evidence.core.Checkpoints;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code java -jar nhi-evidence-cli.jar verify --dir DIR | --jdbc URL [--public-key FILE]... [--realm R]
 * [--allow-unsealed-tail]}. DIR holds one folder per realm with JSON Lines segments ({@code *.jsonl},
 * read in name order), or is one such folder; URL is the jdbc sink's database (user and password in the
 * URL or in {@code PGUSER}/{@code PGPASSWORD}). Each FILE holds one or more public keys; a checkpoint must
 * verify with the one it names. Exit 0 when every chain is intact; 1 naming the first bad
 * {@code seq}; 2 on a usage or I/O error. Streams record by record, so memory does not grow with the chain.
 */
public final class EvidenceCli {
    static final int INTACT = 0;
    static final int BROKEN = 1;
    static final int USAGE = 2;
    /** Beside the realm folders of the file sink: the public key of every key that has signed there. */
    public static final String PUBLIC_KEY_FILE = "nhi-evidence-public-key.pem";
    private static final String USAGE_TEXT = "usage: verify --dir DIR | --jdbc URL [--public-key FILE]... [--realm R]"
            + " [--allow-unsealed-tail]";

    private EvidenceCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || !args[0].equals("verify")) {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        Path dir = null;
        String jdbc = null;
        List<Path> keyFiles = new ArrayList<>();
        String realm = null;
        boolean allowUnsealedTail = false;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--dir" -> dir = i + 1 < args.length ? Path.of(args[++i]) : null;
                case "--jdbc" -> jdbc = i + 1 < args.length ? args[++i] : null;
                case "--public-key" -> {
                    if (i + 1 == args.length) {
                        err.println("--public-key needs a FILE\n" + USAGE_TEXT);
                        return USAGE;
                    }
                    keyFiles.add(Path.of(args[++i]));
                }
                case "--realm" -> realm = i + 1 < args.length ? args[++i] : null;
                case "--allow-unsealed-tail" -> allowUnsealedTail = true;
                default -> {
                    err.println("unknown argument " + args[i] + "\n" + USAGE_TEXT);
                    return USAGE;
                }
            }
        }
        if (jdbc != null && dir == null) {
            if (keyFiles.isEmpty()) {
                err.println("--jdbc needs --public-key FILE\n" + USAGE_TEXT);
                return USAGE;
            }
            return JdbcVerification.run(jdbc, keyFiles, realm, allowUnsealedTail, out, err);
        }
        if (dir == null || !Files.isDirectory(dir) || jdbc != null) {
            err.println("give either --dir DIR (a directory) or --jdbc URL\n" + USAGE_TEXT);
            return USAGE;
        }
        try {
            List<PublicKey> keys = publicKeys(dir, keyFiles);
            List<Path> realms = realmFolders(dir, realm);
            if (realms.isEmpty()) {
                err.println("no evidence found under " + dir + (realm == null ? "" : " for realm " + realm));
                return USAGE;
            }
            printKeys(out, keys);
            for (Path folder : realms) {
                ChainVerifier verifier = new ChainVerifier(keys, null);
                ChainVerifier.Failure failure = verify(folder, verifier);
                if (failure == null) {
                    failure = verifier.finish(allowUnsealedTail);
                }
                if (report(out, folder.getFileName().toString(), verifier, failure) == BROKEN) {
                    return BROKEN;
                }
            }
            return INTACT;
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            err.println("cannot verify: " + e.getMessage());
            return USAGE;
        }
    }

    private static ChainVerifier.Failure verify(Path folder, ChainVerifier verifier) throws IOException {
        for (Path segment : segments(folder)) {
            try (BufferedReader reader = Files.newBufferedReader(segment, StandardCharsets.UTF_8)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.isEmpty()) {
                        continue;
                    }
                    ChainVerifier.Failure failure = verifier.accept(line);
                    if (failure != null) {
                        return failure;
                    }
                }
            }
        }
        return null;
    }

    /** The keys in {@code keyFiles}, or without any, in DIR's {@link #PUBLIC_KEY_FILE}. */
    static List<PublicKey> publicKeys(Path dir, List<Path> keyFiles) throws IOException {
        List<PublicKey> keys = new ArrayList<>();
        for (Path file : keyFiles.isEmpty() ? List.of(dir.resolve(PUBLIC_KEY_FILE)) : keyFiles) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no public key: pass --public-key FILE (found none at " + file + ")");
            }
            try {
                keys.addAll(Checkpoints.readPublicKeys(Files.readString(file, StandardCharsets.US_ASCII)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
            }
        }
        return keys;
    }

    static void printKeys(PrintStream out, List<PublicKey> keys) {
        out.println("checkpoint keys " + String.join(", ", keys.stream().map(Checkpoints::keyId).distinct().toList()));
    }

    /** Prints one realm's outcome; answers the exit code so far. */
    static int report(PrintStream out, String realm, ChainVerifier verifier, ChainVerifier.Failure failure) {
        if (failure != null) {
            out.println("realm " + realm + ": BROKEN at " + failure);
            return BROKEN;
        }
        out.println("realm " + realm + ": intact, " + verifier.records() + " records, " + verifier.checkpoints()
                + " checkpoints");
        return INTACT;
    }

    /** The realm folders to verify: DIR's subfolders holding segments, or DIR itself when it holds them. */
    private static List<Path> realmFolders(Path dir, String realm) throws IOException {
        if (realm != null) {
            Path folder = dir.resolve(realm);
            return Files.isDirectory(folder) ? List.of(folder) : List.of();
        }
        if (!segments(dir).isEmpty()) {
            return List.of(dir);
        }
        List<Path> folders = new ArrayList<>();
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : children.sorted().toList()) {
                if (Files.isDirectory(child) && !segments(child).isEmpty()) {
                    folders.add(child);
                }
            }
        }
        return folders;
    }

    private static List<Path> segments(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        }
    }
}
