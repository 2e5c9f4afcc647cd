package dev.nhi.evidence.jpa;

import dev.nhi.evidence.core.CanonicalJson;
import dev.nhi.evidence.core.Chain;
import dev.nhi.evidence.core.Checkpoints;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hibernate.Session;
import org.hibernate.jdbc.ReturningWork;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * The evidence tables of Keycloak's database. Token records are chained as they are stored, by the group
 * commit's writer on a connection of its own; the records of changes go to the outbox in the caller's
 * transaction, and the drain chains them. Both lock a realm's chain head for their transaction, in realm
 * order. Outbox and chained rows go through plain JDBC: as JPA entities their bookkeeping cost more than
 * the inserts themselves. The chain heads, one row per realm, stay entities. Every query is scoped to one
 * realm, except the drain's reads of the outbox, the heads and the recorded policies.
 */
public final class EvidenceStore {
    private static final String INSERT_OUTBOX = "insert into NHI_EVIDENCE_OUTBOX (ID, REALM_ID, REALM, FIELDS,"
            + " CREATED_AT) values (?, ?, ?, ?, ?)";
    private static final String SELECT_OUTBOX = "select ORDINAL, REALM_ID, REALM, FIELDS, CREATED_AT"
            + " from NHI_EVIDENCE_OUTBOX order by ORDINAL";
    private static final String DELETE_OUTBOX = "delete from NHI_EVIDENCE_OUTBOX where ORDINAL = ?";
    private static final String INSERT_CHAINED = "insert into NHI_EVIDENCE (REALM_ID, SEQ, REALM, RECORD, CREATED_AT)"
            + " values (?, ?, ?, ?, ?)";
    /**
     * From {@code SEQ > ?}: the rows below, already shipped and deleted, stay in the index as dead entries
     * until a vacuum, and a scan from the realm's start would walk every one of them on each drain.
     */
    private static final String SELECT_CHAINED = "select SEQ, REALM, RECORD from NHI_EVIDENCE where REALM_ID = ?"
            + " and SEQ > ? order by SEQ";
    private static final String INSERT_HEAD = "insert into NHI_EVIDENCE_HEAD (REALM_ID, REALM, SEQ, HASH, SEALED_SEQ,"
            + " SEALED_AT) values (?, ?, 0, ?, 0, ?)";
    /**
     * Locks the head it reads: a head read while the drain or another node moves it is read once that
     * commits, so the update that follows cannot find it moved again.
     */
    private static final String SELECT_HEAD = "select REALM, SEQ, HASH, SEALED_SEQ, SEALED_AT from NHI_EVIDENCE_HEAD"
            + " where REALM_ID = ? for update";
    /** Moves a head only from where the writer last saw it: it fails when another writer moved it meanwhile. */
    private static final String MOVE_HEAD = "update NHI_EVIDENCE_HEAD set SEQ = ?, HASH = ?, SEALED_SEQ = ?,"
            + " SEALED_AT = ? where REALM_ID = ? and SEQ = ?";
    private static final String HEADS = "select REALM_ID, REALM, SEQ from NHI_EVIDENCE_HEAD";
    private static final String SELECT_DUE = "select REALM_ID from NHI_EVIDENCE_HEAD where SEALED_SEQ < SEQ"
            + " and SEALED_AT <= ?";
    private static final String TRIM_CHAINED = "delete from NHI_EVIDENCE where REALM_ID = ? and SEQ > ? and SEQ <= ?";
    private static final String COUNT_OUTBOX = "select count(*), min(CREATED_AT) from NHI_EVIDENCE_OUTBOX"
            + " where REALM_ID = ?";
    private static final String COUNT_CHAINED = "select count(*), min(CREATED_AT) from NHI_EVIDENCE where REALM_ID = ?";
    private static final String ADD_DAILY = "update NHI_EVIDENCE_DAILY set ISSUED = ISSUED + ?, DENIED = DENIED + ?"
            + " where REALM_ID = ? and TALLY_DAY = ?";
    private static final String INSERT_DAILY = "insert into NHI_EVIDENCE_DAILY (ISSUED, DENIED, REALM_ID, TALLY_DAY)"
            + " values (?, ?, ?, ?)";
    /** PostgreSQL's one-statement form of {@link #ADD_DAILY} and {@link #INSERT_DAILY}. */
    private static final String UPSERT_DAILY = INSERT_DAILY + " on conflict (REALM_ID, TALLY_DAY) do update"
            + " set ISSUED = NHI_EVIDENCE_DAILY.ISSUED + excluded.ISSUED, DENIED = NHI_EVIDENCE_DAILY.DENIED"
            + " + excluded.DENIED";
    private static final String POSTGRESQL = "PostgreSQL";
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String SELECT_DAILY = "select TALLY_DAY, ISSUED, DENIED from NHI_EVIDENCE_DAILY where REALM_ID = ?"
            + " and TALLY_DAY >= ? order by TALLY_DAY";
    private static final String DELETE_DAILY = "delete from NHI_EVIDENCE_DAILY where REALM_ID = ?";
    private static final String SELECT_POLICIES = "select REALM_ID, PROFILES from NHI_EVIDENCE_POLICIES";
    private static final String LOCK_POLICIES = "select PROFILES from NHI_EVIDENCE_POLICIES where REALM_ID = ?"
            + " for update";
    private static final String UPDATE_POLICIES = "update NHI_EVIDENCE_POLICIES set PROFILES = ? where REALM_ID = ?";
    private static final String INSERT_POLICIES = "insert into NHI_EVIDENCE_POLICIES (PROFILES, REALM_ID) values (?, ?)";
    private static final String DELETE_POLICIES = "delete from NHI_EVIDENCE_POLICIES where REALM_ID = ?";
    /**
     * The top-level {@code type} member: in canonical (sorted) order it follows every nested object, so
     * its last occurrence is the top-level one.
     */
    private static final String TYPE_MEMBER = "\"type\":\"";
    private static final String ISSUED = "token.issued";
    private static final String DENIED = "token.denied";

    private final EntityManager em;

    public EvidenceStore(KeycloakSession session) {
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    /** A chained record waiting for a sink. */
    public record Chained(long seq, String realm, String record) {
    }

    /** What {@link #backlog} reports. */
    public record Backlog(long unchained, long unshipped, Instant oldestWrittenAt, long chainSeq, long sealedSeq) {
        /** How long the oldest waiting record has waited at {@code now}, in whole seconds; null when none waits. */
        public Long oldestWaitingSeconds(Instant now) {
            return oldestWrittenAt == null ? null : Duration.between(oldestWrittenAt, now).toSeconds();
        }
    }

    record OutboxRow(long ordinal, String realmId, String realm, String fields, long createdAt) {
    }

    private record ChainedRow(String realmId, long seq, String realm, String record, long createdAt) {
    }

    /** Tokens issued and denied in a realm on a day (UTC). */
    public record Daily(String day, long issued, long denied) {
    }

    private <T> T jdbc(ReturningWork<T> statement) {
        return em.unwrap(Session.class).doReturningWork(statement);
    }

    /** Writes a record in the current transaction: it commits, or is lost, with what it describes. */
    public void outbox(RealmModel realm, Map<String, Object> fields) {
        NewRecord r = newRecord(realm, fields);
        jdbc(c -> insertOutbox(c, r));
    }

    static int insertOutbox(Connection c, NewRecord r) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(INSERT_OUTBOX)) {
            insert.setString(1, r.id());
            insert.setString(2, r.realmId());
            insert.setString(3, r.realm());
            insert.setString(4, r.fields());
            insert.setLong(5, r.createdAt());
            return insert.executeUpdate();
        }
    }

    /** A record for the outbox, its canonical JSON made by the caller (off the writer's thread). */
    public record NewRecord(String id, String realmId, String realm, String fields, long createdAt) {
    }

    public static NewRecord newRecord(RealmModel realm, Map<String, Object> fields) {
        return new NewRecord((String) fields.get("id"), realm.getId(), realm.getName(), CanonicalJson.write(fields),
                System.currentTimeMillis());
    }

    /**
     * The chain heads that one writer last stored, by realm id: each is read from the table once, and
     * afterwards checked by the update that moves it. Not thread-safe: one writer thread uses it.
     */
    public static final class KnownHeads {
        private final Map<String, ChainHeadEntity> byRealm = new HashMap<>();

        /** After the commit of the write that moved them. */
        public void stored(Map<String, ChainHeadEntity> moved) {
            byRealm.putAll(moved);
        }

        /** After a failed write: every head is read again. */
        public void forget() {
            byRealm.clear();
        }
    }

    /**
     * Chains records as they are written, on {@code connection} (the token records' group commit; the caller
     * commits, then hands the answer to {@code known}). Each realm's head moves with one update from where
     * this writer last saw it, in realm-id order as the drain locks heads; the update takes the head's row
     * lock, so that seq follows commit order, and fails when another writer (another node, or the drain)
     * moved the head meanwhile: the caller rolls back, forgets and writes again. One insert per record, with
     * no outbox row to write, read and delete, and no window in which a token's record waits to be chained.
     *
     * @return the heads as this write leaves them, by realm id
     */
    public static Map<String, ChainHeadEntity> chainAtWrite(Connection connection, List<NewRecord> records,
                                                           KeyPair keys, int checkpointRecords, Instant now,
                                                           KnownHeads known) throws SQLException {
        Map<String, List<NewRecord>> byRealm = new TreeMap<>();
        for (NewRecord r : records) {
            byRealm.computeIfAbsent(r.realmId(), id -> new ArrayList<>()).add(r);
        }
        Map<String, ChainHeadEntity> moved = new HashMap<>();
        List<HeadMove> moves = new ArrayList<>(byRealm.size());
        List<ChainedRow> chained = new ArrayList<>(records.size() + byRealm.size());
        Map<List<String>, long[]> daily = new HashMap<>();
        for (Map.Entry<String, List<NewRecord>> realm : byRealm.entrySet()) {
            ChainHeadEntity seen = known.byRealm.get(realm.getKey());
            if (seen == null) {
                seen = readHead(connection, realm.getKey(), realm.getValue().get(0).realm(), now);
            }
            ChainHeadEntity head = copy(seen);
            Chain chain = new Chain(head.realm, head.seq, head.hash);
            for (NewRecord r : realm.getValue()) {
                tally(daily, r.realmId(), r.fields(), r.createdAt());
                String line = chain.appendCanonical(r.fields());
                chained.add(new ChainedRow(head.realmId, chain.seq(), head.realm, line, r.createdAt()));
                if (chain.seq() - head.sealedSeq >= checkpointRecords) {
                    chained.add(seal(head, chain, keys, now));
                }
            }
            head.seq = chain.seq();
            head.hash = chain.head();
            moves.add(new HeadMove(head, seen.seq));
            moved.put(head.realmId, head);
        }
        if (POSTGRESQL.equals(connection.getMetaData().getDatabaseProductName())) {
            storeInOneCall(connection, moves, chained, daily);
        } else {
            moveHeads(connection, moves);
            insertChained(connection, chained);
            addDaily(connection, daily);
        }
        return moved;
    }

    /** A chain head moved by a write, from the seq the writer last saw it at. */
    private record HeadMove(ChainHeadEntity head, long fromSeq) {
        /** The update moves it only from there: it fails when another writer moved it meanwhile. */
        void check(int updated) throws SQLException {
            if (updated != 1) {
                throw new SQLException("realm " + head.realm + ": its evidence chain moved past seq " + fromSeq
                        + " meanwhile");
            }
        }
    }

    /**
     * On PostgreSQL, the heads' moves, the records' insert and the tallies go in one call: a single round
     * trip before the commit, instead of one per statement. The batch's token requests wait for this write,
     * and on a loaded machine each round trip waits for the database's backend to be scheduled. The moves
     * come first, taking the heads' row locks in realm order as elsewhere.
     */
    private static void storeInOneCall(Connection c, List<HeadMove> moves, List<ChainedRow> rows,
                                       Map<List<String>, long[]> daily) throws SQLException {
        StringBuilder sql = new StringBuilder();
        moves.forEach(m -> sql.append(MOVE_HEAD).append(";\n"));
        if (!rows.isEmpty()) {
            sql.append(INSERT_CHAINED);
            sql.append(", (?, ?, ?, ?, ?)".repeat(rows.size() - 1)).append(";\n");
        }
        daily.forEach((realmAndDay, counts) -> sql.append(UPSERT_DAILY).append(";\n"));
        try (PreparedStatement write = c.prepareStatement(sql.toString())) {
            int parameter = 1;
            for (HeadMove move : moves) {
                parameter = bindMove(write, parameter, move);
            }
            for (ChainedRow row : rows) {
                parameter = bindChained(write, parameter, row);
            }
            for (Map.Entry<List<String>, long[]> e : daily.entrySet()) {
                parameter = bindDaily(write, parameter, e.getKey(), e.getValue());
            }
            try {
                write.execute();
            } catch (SQLException e) {
                if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    // the insert ran into the records of a writer that moved a head meanwhile
                    throw new SQLException("an evidence chain moved meanwhile: another writer's record has a seq"
                            + " of this write, chained from " + moves.stream().map(m -> "realm " + m.head().realm
                            + " seq " + m.fromSeq()).collect(Collectors.joining(", ")), e);
                }
                throw e;
            }
            for (HeadMove move : moves) {
                move.check(write.getUpdateCount());
                write.getMoreResults();
            }
        }
    }

    /** One update per head, each checked to move it from where it was seen. */
    private static void moveHeads(Connection c, List<HeadMove> moves) throws SQLException {
        for (HeadMove move : moves) {
            try (PreparedStatement update = c.prepareStatement(MOVE_HEAD)) {
                bindMove(update, 1, move);
                move.check(update.executeUpdate());
            }
        }
    }

    private static int bindMove(PreparedStatement statement, int first, HeadMove move) throws SQLException {
        ChainHeadEntity head = move.head();
        statement.setLong(first, head.seq);
        statement.setString(first + 1, head.hash);
        statement.setLong(first + 2, head.sealedSeq);
        statement.setLong(first + 3, head.sealedAt);
        statement.setString(first + 4, head.realmId);
        statement.setLong(first + 5, move.fromSeq());
        return first + 6;
    }

    /** A realm's chain head as the table has it, created at genesis for the realm's first record. */
    private static ChainHeadEntity readHead(Connection c, String realmId, String realm, Instant now)
            throws SQLException {
        try (PreparedStatement select = c.prepareStatement(SELECT_HEAD)) {
            select.setString(1, realmId);
            try (ResultSet rs = select.executeQuery()) {
                if (rs.next()) {
                    return head(realmId, rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getLong(5));
                }
            }
        }
        // a concurrent first write of the realm fails on the primary key, and is written again
        try (PreparedStatement insert = c.prepareStatement(INSERT_HEAD)) {
            insert.setString(1, realmId);
            insert.setString(2, realm);
            insert.setString(3, Chain.GENESIS);
            insert.setLong(4, now.toEpochMilli());
            insert.executeUpdate();
        }
        return head(realmId, realm, 0, Chain.GENESIS, 0, now.toEpochMilli());
    }

    private static ChainHeadEntity copy(ChainHeadEntity h) {
        return head(h.realmId, h.realm, h.seq, h.hash, h.sealedSeq, h.sealedAt);
    }

    private static ChainHeadEntity head(String realmId, String realm, long seq, String hash, long sealedSeq,
                                        long sealedAt) {
        ChainHeadEntity head = new ChainHeadEntity();
        head.realmId = realmId;
        head.realm = realm;
        head.seq = seq;
        head.hash = hash;
        head.sealedSeq = sealedSeq;
        head.sealedAt = sealedAt;
        return head;
    }

    /**
     * Chains up to {@code limit} outbox rows in commit order, with a checkpoint wherever one is due, and
     * deletes them; in the caller's transaction.
     *
     * @return the number of outbox rows this transaction chained
     */
    public int chain(int limit, KeyPair keys, int checkpointRecords, long checkpointMillis, Instant now) {
        return jdbc(c -> chain(c, unchained(c, limit), keys, checkpointRecords, checkpointMillis, now));
    }

    /**
     * Chains {@code rows}, read from the outbox by {@link #unchained}, on {@code c}. Every realm's head it
     * touches is locked first, in realm-id order as the token records' writer moves them. Another drain may
     * have read the same rows: another node's, once a long drain outlasts the cluster-wide claim, or one at
     * shutdown. So each row is deleted under its realm's lock and chained only when this transaction deleted
     * it; a row the other drain chained first is gone by the time the lock is granted.
     *
     * @return the number of rows this transaction chained
     */
    static int chain(Connection c, List<OutboxRow> rows, KeyPair keys, int checkpointRecords, long checkpointMillis,
                     Instant now) throws SQLException {
        // Idle realms with unsealed records are sealed once the interval has passed.
        long dueMillis = now.toEpochMilli() - checkpointMillis;
        List<String> due = dueForSeal(c, dueMillis);
        Map<String, String> touched = new TreeMap<>();
        rows.forEach(row -> touched.putIfAbsent(row.realmId(), row.realm()));
        due.forEach(realmId -> touched.putIfAbsent(realmId, null));
        Map<String, ChainHeadEntity> heads = new HashMap<>();
        Map<String, Long> lockedAt = new HashMap<>();
        for (Map.Entry<String, String> realm : touched.entrySet()) {
            ChainHeadEntity head = readHead(c, realm.getKey(), realm.getValue(), now);
            heads.put(realm.getKey(), head);
            lockedAt.put(realm.getKey(), head.seq);
        }
        List<OutboxRow> taken = deleteEach(c, rows);
        Map<String, Chain> chains = new HashMap<>();
        List<ChainedRow> chained = new ArrayList<>(taken.size() + 8);
        Map<List<String>, long[]> daily = new HashMap<>();
        for (OutboxRow row : taken) {
            tally(daily, row.realmId(), row.fields(), row.createdAt());
            ChainHeadEntity head = heads.get(row.realmId());
            Chain chain = chains.computeIfAbsent(row.realmId(), id -> new Chain(head.realm, head.seq, head.hash));
            String line = chain.appendCanonical(row.fields());
            chained.add(new ChainedRow(head.realmId, chain.seq(), head.realm, line, row.createdAt()));
            if (chain.seq() - head.sealedSeq >= checkpointRecords) {
                chained.add(seal(head, chain, keys, now));
            }
        }
        for (String realmId : due) {
            ChainHeadEntity head = heads.get(realmId);
            Chain chain = chains.computeIfAbsent(realmId, id -> new Chain(head.realm, head.seq, head.hash));
            // the writer may have sealed it since the query
            if (head.sealedAt <= dueMillis && chain.seq() > head.sealedSeq) {
                chained.add(seal(head, chain, keys, now));
            }
        }
        List<HeadMove> moves = new ArrayList<>(chains.size());
        for (Map.Entry<String, Chain> e : chains.entrySet()) {
            ChainHeadEntity head = heads.get(e.getKey());
            head.seq = e.getValue().seq();
            head.hash = e.getValue().head();
            moves.add(new HeadMove(head, lockedAt.get(e.getKey())));
        }
        moveHeads(c, moves);
        insertChained(c, chained);
        addDaily(c, daily);
        return taken.size();
    }

    /** The realms whose unsealed records were last sealed at or before {@code dueMillis}. */
    private static List<String> dueForSeal(Connection c, long dueMillis) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(SELECT_DUE)) {
            select.setLong(1, dueMillis);
            List<String> due = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    due.add(rs.getString(1));
                }
            }
            return due;
        }
    }

    /** Deletes each row; answers those this transaction deleted, in their order. */
    private static List<OutboxRow> deleteEach(Connection c, List<OutboxRow> rows) throws SQLException {
        List<OutboxRow> taken = new ArrayList<>(rows.size());
        try (PreparedStatement delete = c.prepareStatement(DELETE_OUTBOX)) {
            for (OutboxRow row : rows) {
                delete.setLong(1, row.ordinal());
                if (delete.executeUpdate() == 1) {
                    taken.add(row);
                }
            }
        }
        return taken;
    }

    /** The first {@code limit} outbox rows, by ordinal: the batch, not the whole outbox (see {@link #firstRows}). */
    static List<OutboxRow> unchained(Connection c, int limit) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(SELECT_OUTBOX + firstRows(c))) {
            select.setInt(1, limit);
            List<OutboxRow> found = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    found.add(new OutboxRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getLong(5)));
                }
            }
            return found;
        }
    }

    /** Counts a token record under its realm and the day it was written. */
    private static void tally(Map<List<String>, long[]> daily, String realmId, String fields, long createdAt) {
        int at = fields.lastIndexOf(TYPE_MEMBER);
        if (at < 0) {
            return;
        }
        int start = at + TYPE_MEMBER.length();
        String type = fields.substring(start, fields.indexOf('"', start));
        int column = ISSUED.equals(type) ? 0 : DENIED.equals(type) ? 1 : -1;
        if (column >= 0) {
            String day = LocalDate.ofInstant(Instant.ofEpochMilli(createdAt), ZoneOffset.UTC).toString();
            daily.computeIfAbsent(List.of(realmId, day), k -> new long[2])[column]++;
        }
    }

    private static void addDaily(Connection c, Map<List<String>, long[]> daily) throws SQLException {
        for (Map.Entry<List<String>, long[]> e : daily.entrySet()) {
            int updated;
            try (PreparedStatement add = c.prepareStatement(ADD_DAILY)) {
                bindDaily(add, 1, e.getKey(), e.getValue());
                updated = add.executeUpdate();
            }
            if (updated == 0) {
                try (PreparedStatement insert = c.prepareStatement(INSERT_DAILY)) {
                    bindDaily(insert, 1, e.getKey(), e.getValue());
                    insert.executeUpdate();
                }
            }
        }
    }

    private static int bindDaily(PreparedStatement statement, int first, List<String> realmAndDay, long[] counts)
            throws SQLException {
        statement.setLong(first, counts[0]);
        statement.setLong(first + 1, counts[1]);
        statement.setString(first + 2, realmAndDay.get(0));
        statement.setString(first + 3, realmAndDay.get(1));
        return first + 4;
    }

    /** Tokens issued and denied per day since {@code firstDay} (inclusive), oldest first; days without any are absent. */
    public List<Daily> daily(String realmId, LocalDate firstDay) {
        return jdbc(c -> {
            try (PreparedStatement select = c.prepareStatement(SELECT_DAILY)) {
                select.setString(1, realmId);
                select.setString(2, firstDay.toString());
                List<Daily> days = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        days.add(new Daily(rs.getString(1), rs.getLong(2), rs.getLong(3)));
                    }
                }
                return days;
            }
        });
    }

    /**
     * What goes with a removed realm: its tally and its recorded policies. Its records stay on their way to
     * the sinks, and its chain head stays, so that a realm recreated with the same id goes on with its chain.
     */
    public void forgetRealm(String realmId) {
        jdbc(c -> deleteByRealm(c, DELETE_DAILY, realmId) + deleteByRealm(c, DELETE_POLICIES, realmId));
    }

    private static int deleteByRealm(Connection c, String delete, String realmId) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(delete)) {
            statement.setString(1, realmId);
            return statement.executeUpdate();
        }
    }

    /**
     * The policy fingerprints last recorded, by realm id, as {@code <profile>:<fingerprint>} comma-separated
     * ("" for none): the drain's, over every realm, like its read of the outbox.
     */
    public Map<String, String> recordedPolicies() {
        return jdbc(c -> {
            try (PreparedStatement select = c.prepareStatement(SELECT_POLICIES); ResultSet rs = select.executeQuery()) {
                Map<String, String> recorded = new HashMap<>();
                while (rs.next()) {
                    String profiles = rs.getString(2);
                    // Oracle reads an empty string back as null
                    recorded.put(rs.getString(1), profiles == null ? "" : profiles);
                }
                return recorded;
            }
        });
    }

    /** What a realm's recorded policy fingerprints were before this transaction recorded new ones; null: none. */
    public record PoliciesBefore(String profiles) {
    }

    /**
     * Records a realm's policy fingerprints, as {@link #recordedPolicies} reads them, unless they are recorded
     * already: under the row's lock, so that of two drains that noticed one change, the second finds it
     * recorded once the first commits. Answers what was recorded before, or empty when nothing changed.
     */
    public Optional<PoliciesBefore> recordPolicies(String realmId, String profiles) {
        return jdbc(c -> recordPolicies(c, realmId, profiles));
    }

    static Optional<PoliciesBefore> recordPolicies(Connection c, String realmId, String profiles) throws SQLException {
        String before;
        boolean exists;
        try (PreparedStatement lock = c.prepareStatement(LOCK_POLICIES)) {
            lock.setString(1, realmId);
            try (ResultSet rs = lock.executeQuery()) {
                exists = rs.next();
                String value = exists ? rs.getString(1) : null;
                // Oracle reads an empty string back as null
                before = exists && value == null ? "" : value;
            }
        }
        if (profiles.equals(before)) {
            return Optional.empty();
        }
        // a first record of a realm that another drain inserts meanwhile fails this drain, which the next retries
        try (PreparedStatement write = c.prepareStatement(exists ? UPDATE_POLICIES : INSERT_POLICIES)) {
            write.setString(1, profiles);
            write.setString(2, realmId);
            write.executeUpdate();
        }
        return Optional.of(new PoliciesBefore(before));
    }

    /** Forgets the policies recorded for a realm that no longer exists. */
    public void forgetPolicies(String realmId) {
        jdbc(c -> deleteByRealm(c, DELETE_POLICIES, realmId));
    }

    /** Seals every realm's unsealed tail now (on shutdown), so that a verifier finds no unsealed tail. */
    public void sealAll(KeyPair keys, Instant now) {
        List<ChainedRow> seals = new ArrayList<>();
        for (String realmId : new TreeSet<>(em.createQuery("select h.realmId from ChainHeadEntity h"
                + " where h.sealedSeq < h.seq", String.class).getResultList())) {
            ChainHeadEntity head = lockedHead(realmId, null, now);
            Chain chain = new Chain(head.realm, head.seq, head.hash);
            seals.add(seal(head, chain, keys, now));
            head.seq = chain.seq();
            head.hash = chain.head();
        }
        jdbc(c -> insertChained(c, seals));
    }

    /** Whether some realm has records no checkpoint seals yet. */
    public boolean anyUnsealed() {
        return em.createQuery("select count(h) from ChainHeadEntity h where h.sealedSeq < h.seq", Long.class)
                .getSingleResult() > 0;
    }

    /** The oldest chained records of one realm still waiting for a sink, in order, from after {@code shipped}. */
    public List<Chained> pending(String realmId, long shipped, int limit) {
        return jdbc(c -> pending(c, realmId, shipped, limit));
    }

    static List<Chained> pending(Connection c, String realmId, long shipped, int limit) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(SELECT_CHAINED + firstRows(c))) {
            select.setString(1, realmId);
            select.setLong(2, shipped);
            select.setInt(3, limit);
            List<Chained> found = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    found.add(new Chained(rs.getLong(1), rs.getString(2), rs.getString(3)));
                }
            }
            return found;
        }
    }

    /**
     * The clause that ends a batch's read after its first {@code ?} rows. The database must know that only a
     * batch is wanted: without it, it may read and sort the whole backlog for each batch, and a backlog after
     * a long sink outage would drain in quadratic time. The standard clause, which Keycloak's other databases
     * know; MySQL and MariaDB know {@code LIMIT}.
     */
    private static String firstRows(Connection c) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName();
        return product.equals("MySQL") || product.equals("MariaDB") ? " limit ?" : " offset 0 rows fetch next ? rows only";
    }

    /**
     * Realms whose chain goes past what the caller knows was shipped ({@code shipped}, by realm id; a realm
     * it does not know is listed), their names by id: read from the chain heads, one row per realm.
     */
    public Map<String, String> realmsWithPending(Map<String, Long> shipped) {
        return jdbc(c -> realmsWithPending(c, shipped));
    }

    static Map<String, String> realmsWithPending(Connection c, Map<String, Long> shipped) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(HEADS); ResultSet rs = select.executeQuery()) {
            Map<String, String> realms = new TreeMap<>();
            while (rs.next()) {
                Long known = shipped.get(rs.getString(1));
                if (known == null || rs.getLong(3) > known) {
                    realms.put(rs.getString(1), rs.getString(2));
                }
            }
            return realms;
        }
    }

    /** Every sink has the records after {@code shipped} up to {@code seq}: they leave Keycloak's database. */
    public int trim(String realmId, long shipped, long seq) {
        return jdbc(c -> {
            try (PreparedStatement delete = c.prepareStatement(TRIM_CHAINED)) {
                delete.setString(1, realmId);
                delete.setLong(2, shipped);
                delete.setLong(3, seq);
                return delete.executeUpdate();
            }
        });
    }

    /**
     * The name a realm's records carry, and the sinks file them under: the realm's name when its chain
     * began, kept through renames so that the chain stays one; null before its first record.
     */
    public String chainName(String realmId) {
        ChainHeadEntity head = em.find(ChainHeadEntity.class, realmId);
        return head == null ? null : head.realm;
    }

    /**
     * One realm's backlog: records not yet chained and records not yet on every sink, with the time the
     * oldest of them was written (null when there is none).
     */
    public Backlog backlog(String realmId) {
        long[] outbox = jdbc(c -> countAndOldest(c, COUNT_OUTBOX, realmId));
        long[] chained = jdbc(c -> countAndOldest(c, COUNT_CHAINED, realmId));
        long oldest = Math.min(outbox[1], chained[1]);
        ChainHeadEntity head = em.find(ChainHeadEntity.class, realmId);
        return new Backlog(outbox[0], chained[0], oldest == Long.MAX_VALUE ? null : Instant.ofEpochMilli(oldest),
                head == null ? 0 : head.seq, head == null ? 0 : head.sealedSeq);
    }

    /** {count, oldest CREATED_AT or Long.MAX_VALUE when there are none}. */
    private static long[] countAndOldest(Connection c, String query, String realmId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(query)) {
            select.setString(1, realmId);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                long count = rs.getLong(1);
                long oldest = rs.getLong(2);
                return new long[] {count, rs.wasNull() ? Long.MAX_VALUE : oldest};
            }
        }
    }

    private static int[] insertChained(Connection c, List<ChainedRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return new int[0];
        }
        try (PreparedStatement insert = c.prepareStatement(INSERT_CHAINED)) {
            for (ChainedRow row : rows) {
                bindChained(insert, 1, row);
                insert.addBatch();
            }
            return insert.executeBatch();
        }
    }

    private static int bindChained(PreparedStatement statement, int first, ChainedRow row) throws SQLException {
        statement.setString(first, row.realmId());
        statement.setLong(first + 1, row.seq());
        statement.setString(first + 2, row.realm());
        statement.setString(first + 3, row.record());
        statement.setLong(first + 4, row.createdAt());
        return first + 5;
    }

    /** A realm's chain head, locked until the transaction ends; created at genesis for a realm's first record. */
    private ChainHeadEntity lockedHead(String realmId, String realm, Instant now) {
        ChainHeadEntity head = em.find(ChainHeadEntity.class, realmId, LockModeType.PESSIMISTIC_WRITE);
        if (head == null) {
            head = head(realmId, realm, 0, Chain.GENESIS, 0, now.toEpochMilli());
            em.persist(head);
        }
        return head;
    }

    private static ChainedRow append(ChainHeadEntity head, Chain chain, Map<String, Object> fields, long createdAt) {
        Map<String, Object> record = chain.append(fields);
        return new ChainedRow(head.realmId, chain.seq(), head.realm, CanonicalJson.write(record), createdAt);
    }

    private static ChainedRow seal(ChainHeadEntity head, Chain chain, KeyPair keys, Instant now) {
        Map<String, Object> checkpoint = new LinkedHashMap<>();
        checkpoint.put("id", UUID.randomUUID().toString());
        checkpoint.put("time", now.toString());
        checkpoint.put("type", Checkpoints.TYPE);
        checkpoint.put("subject", Map.of("realm", head.realm));
        checkpoint.put("actor", Map.of("system", "nhi-evidence"));
        checkpoint.put("decision", null);
        checkpoint.put("details", Checkpoints.details(chain, keys.getPrivate(), keys.getPublic()));
        checkpoint.put("controls", List.of());
        ChainedRow row = append(head, chain, checkpoint, now.toEpochMilli());
        head.sealedSeq = chain.seq();
        head.sealedAt = now.toEpochMilli();
        return row;
    }
}
