package jmirage.resolver.iterate;

import jmirage.dns.Message;
import jmirage.dns.Name;

/**
 * The authorities' answer to one question: the final response with the CNAME/DNAME chain that led
 * to it assembled in its answer section (each link as its own zone gave it, RRSIGs included), and
 * the zone cut of the server that gave the final part (the validator starts from the signer names,
 * the cache files negative answers under this zone).
 */
public record Answer(Message message, Name zone) {}
