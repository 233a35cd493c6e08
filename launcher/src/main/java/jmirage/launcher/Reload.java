package jmirage.launcher;

import java.util.List;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.core.Unit;
import jmirage.core.config.ConfigProblem;

/** SIGHUP's work, on the loop: the unikernel reloads, and the runner logs what came of it. */
final class Reload {

    private Reload() {}

    /** Asks {@code running} to reload; one line when it did, else a line per problem and one that the old configuration stays. */
    static void of(Unikernel.Running running, Log log) {
        log.info("SIGHUP: reloading the configuration");
        Promise<Result<Unit, List<ConfigProblem>>> reloaded;
        try {
            reloaded = running.reload();
        } catch (RuntimeException bug) {
            log.error("reload failed (a bug): " + bug);
            return;
        }
        reloaded.onComplete((result, bug) -> {
            switch (result) {
                case null -> log.error("reload failed (a bug): " + bug);
                case Result.Ok<Unit, List<ConfigProblem>> ok -> log.info("reloaded configuration");
                case Result.Err<Unit, List<ConfigProblem>>(List<ConfigProblem> problems) -> {
                    problems.forEach(p -> log.error(p.describe()));
                    log.warn((problems.size() == 1 ? "a problem" : problems.size() + " problems")
                            + " in the new configuration: keeping the previous configuration");
                }
            }
        });
    }
}
