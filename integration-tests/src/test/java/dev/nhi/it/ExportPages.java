package dev.nhi.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nhi.launcher.RealmAdmin;
import dev.nhi.launcher.RestClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Callable;

/** The evidence export read page after page, either way, as an auditor's client would, against the sink itself. */
final class ExportPages {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExportPages() {
    }

    /** One page: its records' seqs, whether it was cut short, and where to go on. */
    private record Page(List<Long> seqs, List<String> lines, boolean truncated, long resumeSeq) {
    }

    private static Page page(NhiRealm realm, String query) {
        RestClient.Reply reply = RealmAdmin.expect(realm.rest.get(realm.api("/evidence?" + query),
                realm.userToken(NhiRealm.AUDITOR)), 200, "export " + query);
        List<String> lines = reply.raw().lines().toList();
        List<Long> seqs = lines.stream().map(line -> {
            try {
                return JSON.readTree(line).get("seq").asLong();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
        boolean truncated = reply.response().headers().firstValue("X-NHI-Truncated").orElseThrow().equals("true");
        long resume = reply.response().headers().firstValue("X-NHI-Resume-Seq").map(Long::parseLong).orElse(-1L);
        return new Page(seqs, lines, truncated, resume);
    }

    /**
     * Newest first in pages of three, then oldest first from where the first page stopped: each page holds
     * the records before (or after) the last one, exactly as the sink holds them ({@code stored}: the sink's
     * lines in seq order, read after the pages). Bad paging parameters are refused.
     */
    static void assertPagingBothWays(NhiRealm realm, Callable<List<String>> stored) throws Exception {
        Page newest = page(realm, "order=desc&max=3");
        assertThat(newest.seqs()).hasSize(3);
        long last = newest.seqs().get(0);
        assertThat(newest.seqs()).containsExactly(last, last - 1, last - 2);
        assertThat(newest.truncated()).isTrue();
        assertThat(newest.resumeSeq()).isEqualTo(last - 2);
        Page next = page(realm, "order=desc&max=3&beforeSeq=" + newest.resumeSeq());
        assertThat(next.seqs()).containsExactly(last - 3, last - 4, last - 5);
        Page forward = page(realm, "max=2&afterSeq=" + (last - 5));
        assertThat(forward.seqs()).containsExactly(last - 4, last - 3);
        assertThat(forward.resumeSeq()).isEqualTo(last - 3);

        List<String> sink = stored.call();
        for (Page page : List.of(newest, next, forward)) {
            for (int i = 0; i < page.seqs().size(); i++) {
                assertThat(page.lines().get(i)).isEqualTo(sink.get((int) (page.seqs().get(i) - 1)));
            }
        }
        for (String bad : List.of("order=sideways", "order=desc&afterSeq=3", "beforeSeq=3", "afterSeq=-1",
                "afterSeq=x", "type=token.issued,token.bogus", "max=0")) {
            assertThat(realm.rest.get(realm.api("/evidence?" + bad), realm.adminToken()).status()).as(bad)
                    .isEqualTo(400);
        }
    }
}
