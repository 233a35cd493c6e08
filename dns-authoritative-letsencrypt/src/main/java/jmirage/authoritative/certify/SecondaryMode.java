package jmirage.authoritative.certify;

import java.util.ArrayList;
import java.util.List;
import jmirage.authoritative.keys.Keys;
import jmirage.authoritative.keys.Operation;
import jmirage.authoritative.secondary.SecondaryZone;
import jmirage.authoritative.store.ZoneManagement;
import jmirage.authoritative.store.ZoneOptionError;
import jmirage.authoritative.store.ZoneOptions;
import jmirage.core.Clock;
import jmirage.core.Log;
import jmirage.core.Random;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.config.ConfigProblem;
import jmirage.core.net.Stack;

/**
 * The certify role on a secondary (issue 17, as robur's dns-letsencrypt-secondary): it reads the
 * CSRs of the zones we are secondary for, from our copies, and writes the challenges and
 * certificates to each zone's primary as TSIG-signed updates ({@link SecondaryZoneWriter}), signed
 * with the key the zone's {@code --secondary ZONE@PRIMARY#KEY} names, which therefore must be an
 * update key ({@code NAME._update.ZONE}) the primary also allows to update the zone.
 */
public final class SecondaryMode {

    private SecondaryMode() {}

    /**
     * The role over the secondary zones, started: it looks again after every transfer that changed a
     * {@code _letsencrypt._tcp} name (a NOTIFY or a refresh brought it), daily, and when something falls due.
     */
    public static Certifier certifier(ZoneManagement zones, Stack stack, Random random, Issuer issuer, Scheduler scheduler,
            Clock clock, Log log) {
        Certifier certifier = new Certifier(zones::secondaries, new SecondaryZoneWriter(zones, stack, scheduler, clock, random, log),
                issuer, scheduler, clock, log);
        zones.subscribe(change -> {
            if (change.secondary() && CertifyRecords.touched(change.before(), change.after())) {
                certifier.changed();
            }
        });
        certifier.start();
        return certifier;
    }

    /**
     * For {@code ./unikernel check} with the certify role on: each {@code --secondary} must name a key
     * ({@code #KEY}) that may update its zone ({@code NAME._update.ZONE}), since the role signs its
     * updates to the primary with it. A key in no keys file is {@link ZoneManagement#unknownKeys}'s to report.
     */
    public static List<ConfigProblem> problems(ZoneOptions options, Keys keys) {
        List<ConfigProblem> problems = new ArrayList<>();
        for (String text : options.secondaries) {
            if (!(SecondaryZone.parse(text) instanceof Result.Ok<SecondaryZone, ZoneOptionError>(SecondaryZone z))) {
                continue; // refused by ZoneManagement.optionErrors already
            }
            if (z.keyName().isEmpty()) {
                problems.add(ConfigProblem.of("--secondary", text + ": with the certify role on, the key to sign updates to the"
                        + " primary with must be named (" + text + "#NAME._update." + z.zone() + ")"));
            } else if (keys.find(z.keyName().get()).isPresent() && !keys.allows(z.keyName().get(), Operation.UPDATE, z.zone())) {
                problems.add(ConfigProblem.of("--secondary", text + ": the certify role signs updates to the primary with "
                        + z.keyName().get() + ", which is no update key for " + z.zone() + " (name it NAME._update." + z.zone() + ")"));
            }
        }
        return List.copyOf(problems);
    }
}
