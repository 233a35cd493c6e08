package jmirage.authoritative.certify;

import java.util.List;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.dns.Record;

/**
 * Where the certify role writes the records it publishes (the DNS-01 challenge's TXT, the issued
 * certificate and its chain as TLSA): in primary mode the server's own zones, one commit per change
 * like any update; in secondary mode a dynamic update (RFC 2136, TSIG-signed) to the primary that
 * owns the zone, which may not be ours. A change is all or nothing, and the promise completes when
 * the primary has accepted it.
 */
public interface ZoneWriter {

    /**
     * One change to one zone: {@code remove} are exact records (name, type, rdata) to delete,
     * absent ones ignored; {@code add} are records to add. Removals apply first.
     *
     * @param reason one line for the log and the commit message, e.g. "certify: challenge for www.example.org"
     */
    Promise<Result<Unit, String>> change(List<Record> remove, List<Record> add, String reason);
}
