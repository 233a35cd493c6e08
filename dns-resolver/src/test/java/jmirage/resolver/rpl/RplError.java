package jmirage.resolver.rpl;

import jmirage.dns.zone.ZoneFileError;

/** Why a replay file does not parse: each case names the line. */
public sealed interface RplError {

    record UnexpectedLine(int line, String text) implements RplError {}

    record BadNumber(int line, String text) implements RplError {}

    record BadAddress(int line, String text) implements RplError {}

    record BadQuestion(int line, String text) implements RplError {}

    record BadRecords(int line, ZoneFileError error) implements RplError {}

    record BadDate(int line, String text) implements RplError {}

    record UnknownKeyword(int line, String keyword) implements RplError {}

    record Unterminated(int line, String block) implements RplError {}

    default String describe() {
        return switch (this) {
            case UnexpectedLine(int line, String text) -> "line " + line + ": unexpected: " + text;
            case BadNumber(int line, String text) -> "line " + line + ": not a number: " + text;
            case BadAddress(int line, String text) -> "line " + line + ": not an IP address: " + text;
            case BadQuestion(int line, String text) -> "line " + line + ": not a question: " + text;
            case BadRecords(int line, ZoneFileError error) -> "line " + line + ": " + error.describe();
            case BadDate(int line, String text) -> "line " + line + ": not a YYYYMMDDhhmmss date: " + text;
            case UnknownKeyword(int line, String keyword) -> "line " + line + ": unknown keyword " + keyword;
            case Unterminated(int line, String block) -> "line " + line + ": " + block + " is never closed";
        };
    }
}
