package jmirage.caldav.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.kv.Key;

/**
 * {@code calendars/USER/CALENDAR/.sync-history}: the newest steps of a calendar's sync history
 * ({@link SyncLog}), written at a clean stop and read at the next boot, so that the sync tokens
 * clients hold stay valid across a restart (RFC 6578 3.2: otherwise they get 403 valid-sync-token
 * and download the whole calendar again). The history is kept only when the file's last token is
 * the token of the content loaded: a calendar changed while the server was down (a git pull, a
 * person's edit, a kill -9 after more requests) is not the one the history leads to.
 *
 * <pre>
 * # comment lines
 * TOKEN NAME          one step, oldest first: the token before the change, the member that changed
 * token TOKEN         the last line: the token after the last step
 * </pre>
 *
 * Names are written with '%', CR and LF percent-encoded, so each step is one line. Pure.
 */
public final class SyncHistoryFile {

    public static final String FILE = ".sync-history";
    /** How many steps a stop writes: a client that synced within the last this many changes keeps its token. */
    public static final int KEPT = 500;

    private static final String HEADER = "# the caldav server's sync history of this calendar (RFC 6578), written at a clean stop and\n"
            + "# read at boot when the last token is the calendar's; each line: a sync token, then the event changed after it\n";
    private static final String CURRENT = "token ";

    /** Why a history file was not kept. */
    public sealed interface Refusal {
        record Malformed(int line) implements Refusal {}

        record OtherContent(String written, String loaded) implements Refusal {}

        default String describe() {
            return switch (this) {
                case Malformed(int line) -> "line " + line + " is not 'TOKEN NAME' or 'token TOKEN'";
                case OtherContent(String written, String loaded) -> "written for token " + written + ", the calendar now has "
                        + loaded + " (changed while the server was stopped)";
            };
        }
    }

    private SyncHistoryFile() {}

    public static Key key(String owner, String calendar) {
        return Layout.calendar(owner, calendar).child(FILE);
    }

    /** The history of {@code user}'s calendar home ({@link HomeSync}), beside their calendars' folders. */
    public static Key homeKey(String user) {
        return Layout.home(user).child(FILE);
    }

    /** The file for {@code log}: its newest {@link #KEPT} steps and its token. */
    public static Bytes encode(SyncLog log) {
        StringBuilder out = new StringBuilder(HEADER);
        for (SyncLog.Change c : log.recent(KEPT)) {
            out.append(c.tokenBefore()).append(' ').append(escape(c.name())).append('\n');
        }
        out.append(CURRENT).append(log.token()).append('\n');
        return Bytes.utf8(out.toString());
    }

    /**
     * {@code content} (the log of what was loaded: a calendar's members, a home's calendars) with the
     * history of {@code file}, or why the file does not apply to it.
     */
    public static Result<SyncLog, Refusal> resume(Bytes file, SyncLog content) {
        List<SyncLog.Change> steps = new ArrayList<>();
        Optional<String> last = Optional.empty();
        String[] lines = file.toUtf8().split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = line.indexOf(' ');
            if (last.isPresent() || space < 0) {
                return Result.err(new Refusal.Malformed(i + 1));
            }
            if (line.startsWith(CURRENT) && SyncLog.wellFormed(line.substring(CURRENT.length()))) {
                last = Optional.of(line.substring(CURRENT.length()));
            } else if (SyncLog.wellFormed(line.substring(0, space)) && space + 1 < line.length()) {
                steps.add(new SyncLog.Change(line.substring(0, space), unescape(line.substring(space + 1))));
            } else {
                return Result.err(new Refusal.Malformed(i + 1));
            }
        }
        if (last.isEmpty()) {
            return Result.err(new Refusal.Malformed(lines.length));
        }
        Optional<SyncLog> resumed = SyncLog.resume(content, steps);
        if (resumed.isEmpty()) {
            return Result.err(new Refusal.Malformed(lines.length));
        }
        if (!resumed.get().token().equals(last.get())) {
            return Result.err(new Refusal.OtherContent(last.get(), resumed.get().token()));
        }
        return Result.ok(resumed.get());
    }

    private static String escape(String name) {
        return name.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    private static String unescape(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            String code = name.startsWith("%", i) && i + 3 <= name.length() ? name.substring(i, i + 3) : "";
            switch (code) {
                case "%25" -> out.append('%');
                case "%0D" -> out.append('\r');
                case "%0A" -> out.append('\n');
                default -> {
                    out.append(name.charAt(i));
                    continue;
                }
            }
            i += 2;
        }
        return out.toString();
    }
}
