package dev.nhi.evidence.verify;

import dev.nhi.evidence.core.ChainVerifier;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** {@code verify --jdbc URL}: the jdbc sink's table, realm by realm, read with a cursor in {@code seq} order. */
final class JdbcVerification {
    private static final int FETCH = 1000;

    private JdbcVerification() {
    }

    static int run(String url, List<Path> keyFiles, String realm, boolean allowUnsealedTail, PrintStream out,
                   PrintStream err) {
        Properties credentials = new Properties();
        putIfSet(credentials, "user", System.getenv("PGUSER"));
        putIfSet(credentials, "password", System.getenv("PGPASSWORD"));
        credentials.setProperty("connectTimeout", "10");
        try (Connection c = new org.postgresql.Driver().connect(url, credentials)) {
            if (c == null) {
                err.println("not a jdbc:postgresql:// URL: " + url);
                return EvidenceCli.USAGE;
            }
            List<PublicKey> keys = EvidenceCli.publicKeys(null, keyFiles);
            EvidenceCli.printKeys(out, keys);
            List<String> realms = realm != null ? List.of(realm) : realms(c);
            if (realms.isEmpty()) {
                err.println("no evidence found in " + url);
                return EvidenceCli.USAGE;
            }
            c.setAutoCommit(false);
            for (String name : realms) {
                ChainVerifier verifier = new ChainVerifier(keys, null);
                ChainVerifier.Failure failure = null;
                try (PreparedStatement select = c.prepareStatement("select record from nhi_evidence where realm = ?"
                        + " order by seq")) {
                    select.setFetchSize(FETCH);
                    select.setString(1, name);
                    try (ResultSet rs = select.executeQuery()) {
                        while (failure == null && rs.next()) {
                            failure = verifier.accept(rs.getString(1));
                        }
                    }
                }
                if (failure == null) {
                    failure = verifier.finish(allowUnsealedTail);
                }
                if (EvidenceCli.report(out, name, verifier, failure) == EvidenceCli.BROKEN) {
                    return EvidenceCli.BROKEN;
                }
            }
            return EvidenceCli.INTACT;
        } catch (SQLException | IOException | IllegalArgumentException e) {
            err.println("cannot verify: " + e.getMessage());
            return EvidenceCli.USAGE;
        }
    }

    private static List<String> realms(Connection c) throws SQLException {
        List<String> realms = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("select distinct realm from nhi_evidence order by realm");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                realms.add(rs.getString(1));
            }
        }
        return realms;
    }

    private static void putIfSet(Properties properties, String key, String value) {
        if (value != null) {
            properties.setProperty(key, value);
        }
    }
}
