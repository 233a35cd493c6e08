package jmirage.authoritative.certify;

import java.util.List;
import jmirage.acme.Dns01;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.dns.Name;
import jmirage.dns.NameError;
import jmirage.dns.Rdata;
import jmirage.dns.Record;

/**
 * The DNS-01 challenge (RFC 8555 8.4) answered through a {@link ZoneWriter}: {@code
 * _acme-challenge.IDENTIFIER TXT "VALUE"} added as one change ("certify: challenge for NAME"), taken
 * out again as another once the authorization is decided.
 */
public final class ChallengeWriter implements Dns01 {

    private final ZoneWriter writer;

    public ChallengeWriter(ZoneWriter writer) {
        this.writer = writer;
    }

    @Override
    public Promise<Result<Unit, String>> publish(String identifier, String value) {
        return switch (record(identifier, value)) {
            case Result.Err<Record, String> e -> Promise.resolved(Result.err(e.error()));
            case Result.Ok<Record, String>(Record r) -> writer.change(List.of(), List.of(r), "certify: challenge for " + identifier);
        };
    }

    @Override
    public Promise<Result<Unit, String>> remove(String identifier, String value) {
        return switch (record(identifier, value)) {
            case Result.Err<Record, String> e -> Promise.resolved(Result.err(e.error()));
            case Result.Ok<Record, String>(Record r) ->
                    writer.change(List.of(r), List.of(), "certify: challenge for " + identifier + " removed");
        };
    }

    /** The TXT record, or why the identifier names no host (RFC 8555 8.4: no wildcard label). */
    static Result<Record, String> record(String identifier, String value) {
        if (identifier.startsWith("*") || !(Name.parse(identifier) instanceof Result.Ok<Name, NameError>(Name name))) {
            return Result.err("'" + identifier + "' is not a host name");
        }
        return CertifyRecords.challengeName(name).mapError(NameError::describe)
                .map(at -> Record.in(at, CertifyRecords.TTL, new Rdata.Txt(List.of(Bytes.utf8(value)))));
    }
}
