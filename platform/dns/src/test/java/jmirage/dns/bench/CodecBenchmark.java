package jmirage.dns.bench;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import jmirage.core.Bytes;
import jmirage.dns.Edns;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Decoding and encoding typical responses, ours beside dnsjava 3.6.3, in messages per second.
 * "a": www.example.com A through a CNAME, two NS in authority, glue and EDNS (the common
 * recursive answer); "mx": an MX answer with five exchanges, their A and AAAA glue, signed with RRSIGs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {

    @Param({"a", "mx"})
    public String response;

    Message ours;
    Bytes wire;
    byte[] wireArray;
    org.xbill.DNS.Message theirs;

    @Setup
    public void setup() throws Exception {
        ours = response.equals("a") ? aResponse() : mxResponse();
        wire = MessageCodec.encode(ours);
        wireArray = wire.toArray();
        theirs = new org.xbill.DNS.Message(wireArray);
    }

    static Inet4Address v4(String s) throws Exception {
        return (Inet4Address) InetAddress.getByName(s);
    }

    static Header answerHeader() {
        return new Header(0x1234, true, 0, false, false, true, true, false, false, false, 0);
    }

    public static Message aResponse() throws Exception {
        Name www = Name.of("www.example.com.");
        Name apex = Name.of("example.com.");
        return new Message(answerHeader(), List.of(new Question(www, Type.A)),
                List.of(Record.in(www, 300, new Rdata.Cname(Name.of("web.example.com."))),
                        Record.in(Name.of("web.example.com."), 300, new Rdata.A(v4("192.0.2.10"))),
                        Record.in(Name.of("web.example.com."), 300, new Rdata.A(v4("192.0.2.11")))),
                List.of(Record.in(apex, 86400, new Rdata.Ns(Name.of("ns1.example.com."))),
                        Record.in(apex, 86400, new Rdata.Ns(Name.of("ns2.example.com.")))),
                List.of(Record.in(Name.of("ns1.example.com."), 86400, new Rdata.A(v4("192.0.2.53"))),
                        Record.in(Name.of("ns2.example.com."), 86400, new Rdata.A(v4("198.51.100.53")))),
                Optional.of(Edns.of(1232)));
    }

    public static Message mxResponse() throws Exception {
        Name apex = Name.of("example.org.");
        List<Record> answers = new java.util.ArrayList<>();
        List<Record> additional = new java.util.ArrayList<>();
        byte[] sig = new byte[256];
        for (int i = 0; i < 5; i++) {
            Name mx = Name.of("mx" + i + ".mail.example.org.");
            answers.add(Record.in(apex, 3600, new Rdata.Mx(10 * i, mx)));
            additional.add(Record.in(mx, 3600, new Rdata.A(v4("203.0.113." + (i + 1)))));
            additional.add(Record.in(mx, 3600, new Rdata.Aaaa(
                    (java.net.Inet6Address) InetAddress.getByName("2001:db8::" + (i + 1)))));
        }
        answers.add(Record.in(apex, 3600, new Rdata.Rrsig(Type.MX, 8, 2, 3600, 1_800_000_000L, 1_700_000_000L, 12345,
                apex, Bytes.of(sig))));
        return new Message(answerHeader(), List.of(new Question(apex, Type.MX)), answers, List.of(), additional,
                Optional.of(new Edns(1232, 0, true, 0, List.of())));
    }

    @Benchmark
    public Message decodeOurs() {
        return MessageCodec.decode(wire).orElseThrow();
    }

    @Benchmark
    public org.xbill.DNS.Message decodeDnsjava() throws Exception {
        return new org.xbill.DNS.Message(wireArray);
    }

    @Benchmark
    public Bytes encodeOurs() {
        return MessageCodec.encode(ours);
    }

    @Benchmark
    public byte[] encodeDnsjava() {
        return theirs.toWire();
    }

    public static void main(String[] args) throws Exception {
        new Runner(new OptionsBuilder().include(CodecBenchmark.class.getSimpleName()).build()).run();
    }
}
