package dev.nhi.evidence.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nhi.evidence.core.CanonicalJson;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EvidenceExportTest {
    private static final EvidenceExport.Filter ALL = new EvidenceExport.Filter(null, null, null, null);

    /** Records 1..n: token records of billing (every third) and of reports, a minute apart. */
    private static final class Chain implements Sink.Readable {
        final List<String> lines = new ArrayList<>();
        int reads;

        Chain(int n) {
            for (int seq = 1; seq <= n; seq++) {
                String clientId = seq % 3 == 0 ? "billing" : "reports";
                lines.add(CanonicalJson.write(Map.of("seq", (long) seq, "type", seq % 5 == 0 ? "token.denied"
                        : "token.issued", "time", Instant.parse("2026-11-30T00:00:00Z").plusSeconds(60L * seq)
                        .toString(), "subject", Map.of("clientId", clientId),
                        // another object naming billing: the filter looks at the subject only
                        "details", Map.of("clientId", "billing"))));
            }
        }

        @Override
        public void read(String realm, Sink.Start start, Sink.Reader reader) {
            reads++;
            if (start.newestFirst()) {
                for (int seq = lines.size(); seq >= 1; seq--) {
                    if (start.admits(seq) && !reader.take(seq, lines.get(seq - 1))) {
                        return;
                    }
                }
            } else {
                for (int seq = 1; seq <= lines.size(); seq++) {
                    if (start.admits(seq) && !reader.take(seq, lines.get(seq - 1))) {
                        return;
                    }
                }
            }
        }
    }

    private static List<Long> seqs(EvidenceExport.Page page) {
        return page.lines().lines().map(line -> (Long) ((Map<?, ?>) CanonicalJson.parse(line)).get("seq")).toList();
    }

    private static EvidenceExport.Page page(Chain chain, Sink.Start start, EvidenceExport.Filter filter, int max,
                                            int scanLimit) throws IOException {
        return EvidenceExport.read(chain, "acme", start, filter, max, scanLimit);
    }

    @Test
    void filtersByClientTypeAndTime() throws IOException {
        Chain chain = new Chain(30);
        EvidenceExport.Page billing = page(chain, Sink.Start.after(0),
                new EvidenceExport.Filter(null, null, "billing", null), 100, 1000);
        assertThat(seqs(billing)).containsExactly(3L, 6L, 9L, 12L, 15L, 18L, 21L, 24L, 27L, 30L);
        assertThat(billing.truncated()).isFalse();
        assertThat(billing.count()).isEqualTo(10);
        assertThat(billing.lines()).endsWith("\n").startsWith(chain.lines.get(2) + "\n");

        assertThat(seqs(page(chain, Sink.Start.after(0),
                new EvidenceExport.Filter(null, null, "billing", Set.of("token.denied")), 100, 1000))).containsExactly(15L, 30L);
        assertThat(seqs(page(chain, Sink.Start.after(0), new EvidenceExport.Filter(null, null, "billing",
                Set.of("token.denied", "token.issued")), 100, 1000))).hasSize(10);
        assertThat(seqs(page(chain, Sink.Start.after(0), new EvidenceExport.Filter(
                Instant.parse("2026-11-30T00:10:00Z"), Instant.parse("2026-11-30T00:12:00Z"), null, null), 100, 1000)))
                .containsExactly(10L, 11L, 12L);
        assertThat(seqs(page(chain, Sink.Start.after(0), new EvidenceExport.Filter(null, null, "bill", null), 100,
                1000))).as("a prefix of a client id is another client").isEmpty();
    }

    @Test
    void aFullPageSaysWhereTheNextOneStarts() throws IOException {
        Chain chain = new Chain(30);
        EvidenceExport.Filter billing = new EvidenceExport.Filter(null, null, "billing", null);
        EvidenceExport.Page first = page(chain, Sink.Start.after(0), billing, 4, 1000);
        assertThat(seqs(first)).containsExactly(3L, 6L, 9L, 12L);
        assertThat(first.truncated()).isTrue();
        assertThat(first.resumeSeq()).isEqualTo(12);
        EvidenceExport.Page newest = page(chain, Sink.Start.before(0), billing, 4, 1000);
        assertThat(seqs(newest)).containsExactly(30L, 27L, 24L, 21L);
        assertThat(newest.resumeSeq()).isEqualTo(21);
        EvidenceExport.Page exact = page(chain, Sink.Start.before(0), billing, 10, 1000);
        assertThat(exact.truncated()).as("exactly max matched, and nothing more").isFalse();
    }

    @Test
    void aCallReadsAtMostItsScanLimitAndPagingGoesOnWhereItStopped() throws IOException {
        Chain chain = new Chain(1_000);
        EvidenceExport.Filter denied = new EvidenceExport.Filter(null, null, null, Set.of("token.denied"));
        EvidenceExport.Page first = page(chain, Sink.Start.after(0), denied, 1000, 128);
        assertThat(first.truncated()).isTrue();
        assertThat(first.resumeSeq()).as("the last record read").isEqualTo(128);
        assertThat(first.count()).isEqualTo(25);

        for (boolean newestFirst : new boolean[] {false, true}) {
            List<Long> paged = new ArrayList<>();
            long resume = 0;
            int calls = 0;
            EvidenceExport.Page page;
            do {
                page = page(chain, new Sink.Start(newestFirst, resume), denied, 7, 128);
                paged.addAll(seqs(page));
                resume = page.resumeSeq();
                calls++;
            } while (page.truncated());
            List<Long> expected = new ArrayList<>();
            for (long seq = 5; seq <= 1_000; seq += 5) {
                expected.add(newestFirst ? 1_005 - seq : seq);
            }
            assertThat(paged).as("newest first: " + newestFirst).containsExactlyElementsOf(expected);
            assertThat(calls).isEqualTo(200 / 7 + 1);
        }
        assertThat(seqs(page(chain, Sink.Start.after(0), ALL, 1000, 1000))).hasSize(1000);
    }

    @Test
    void aRecordThatCannotBeReadIsNamedBySeq() throws IOException {
        Chain chain = new Chain(10);
        chain.lines.set(6, "{\"seq\":7,\"time\":\"yesterday\"}");
        assertThatThrownBy(() -> page(chain, Sink.Start.after(0), ALL, 100, 1000)).isInstanceOf(IOException.class)
                .hasMessageContaining("the record at seq 7 is not a readable evidence record");
        assertThat(seqs(page(chain, Sink.Start.before(0), ALL, 2, 1000))).as("the records after it")
                .containsExactly(10L, 9L);
    }
}
