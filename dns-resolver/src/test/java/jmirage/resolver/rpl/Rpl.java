package jmirage.resolver.rpl;

import java.util.List;

/** A parsed replay file: its configuration, title, scripted authorities and the steps to run. */
public record Rpl(String file, RplConfig config, String title, List<RplRange> ranges, List<RplStep> steps) {

    public Rpl {
        ranges = List.copyOf(ranges);
        steps = List.copyOf(steps);
    }
}
