package dev.salvo.examples.dns;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.LongAdder;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SetResponse;
import org.xbill.DNS.Zone;

/**
 * An authoritative answer for one zone, independent of I/O: a query's bytes in, the reply's bytes out.
 * Names inside the zone get their records (AA), NXDOMAIN or NODATA with the SOA; names outside it REFUSED;
 * anything that is not a standard query NOTIMP or FORMERR.
 */
public final class ZoneResponder {
    private static final int CLASSIC_UDP_LIMIT = 512;

    private final Zone zone;
    private final LongAdder answered = new LongAdder();

    /**
     * @param zone the zone to serve
     */
    public ZoneResponder(Zone zone) {
        this.zone = zone;
    }

    /**
     * Loads a zone file whose origin is given by its {@code $ORIGIN} or the name passed here.
     *
     * @param origin the zone's name, e.g. {@code example.test.}
     * @param file a master file
     * @return the responder
     * @throws IOException if the file cannot be read or parsed
     */
    public static ZoneResponder load(String origin, Path file) throws IOException {
        return new ZoneResponder(new Zone(Name.fromString(origin, Name.root), file.toString()));
    }

    /**
     * Loads a zone file whose {@code $ORIGIN} line names the zone.
     *
     * @param file a master file with an {@code $ORIGIN} line
     * @return the responder
     * @throws IOException if the file cannot be read or parsed, or names no origin
     */
    public static ZoneResponder load(Path file) throws IOException {
        for (String line : java.nio.file.Files.readAllLines(file)) {
            String t = line.strip();
            if (t.regionMatches(true, 0, "$ORIGIN", 0, 7)) {
                return load(t.substring(7).strip().split("\\s+")[0], file);
            }
        }
        throw new IOException(file + " has no $ORIGIN line; the zone's name cannot be known");
    }

    /** @return the zone's origin */
    public Name origin() {
        return zone.getOrigin();
    }

    /** @return queries answered so far */
    public long answered() {
        return answered.sum();
    }

    /**
     * Answers one query.
     *
     * @param query the datagram (read from position to limit; not modified)
     * @return the reply's bytes, or {@code null} when the datagram deserves no reply (not a query at all)
     */
    public byte[] respond(ByteBuffer query) {
        Message in;
        try {
            in = new Message(query.duplicate());
        } catch (IOException malformed) {
            return formErr(query);
        }
        Header h = in.getHeader();
        if (h.getFlag(Flags.QR)) {
            return null;
        }
        Message out = new Message(h.getID());
        out.getHeader().setFlag(Flags.QR);
        if (h.getFlag(Flags.RD)) {
            out.getHeader().setFlag(Flags.RD);
        }
        Record question = in.getQuestion();
        if (question != null) {
            out.addRecord(question, Section.QUESTION);
        }
        if (h.getOpcode() != Opcode.QUERY || question == null) {
            out.getHeader().setRcode(h.getOpcode() != Opcode.QUERY ? Rcode.NOTIMP : Rcode.FORMERR);
            return finish(in, out);
        }
        Name name = question.getName();
        if (!name.subdomain(zone.getOrigin())) {
            out.getHeader().setRcode(Rcode.REFUSED);
            return finish(in, out);
        }
        out.getHeader().setFlag(Flags.AA);
        SetResponse found = zone.findRecords(name, question.getType());
        if (found.isSuccessful()) {
            for (RRset set : found.answers()) {
                set.rrs().forEach(r -> out.addRecord(r, Section.ANSWER));
            }
        } else if (found.isCNAME()) {
            out.addRecord(found.getCNAME(), Section.ANSWER);
        } else if (found.isDelegation()) {
            out.getHeader().unsetFlag(Flags.AA);
            found.getNS().rrs().forEach(r -> out.addRecord(r, Section.AUTHORITY));
        } else {
            if (found.isNXDOMAIN()) {
                out.getHeader().setRcode(Rcode.NXDOMAIN);
            }
            out.addRecord(zone.getSOA(), Section.AUTHORITY);
        }
        return finish(in, out);
    }

    private byte[] finish(Message in, Message out) {
        OPTRecord opt = in.getOPT();
        int limit = CLASSIC_UDP_LIMIT;
        if (opt != null) {
            limit = Math.max(CLASSIC_UDP_LIMIT, opt.getPayloadSize());
            out.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
            limit = Math.min(limit, 1232);
        }
        answered.increment();
        return out.toWire(limit);
    }

    private byte[] formErr(ByteBuffer query) {
        if (query.remaining() < Header.LENGTH) {
            return null;
        }
        ByteBuffer q = query.duplicate();
        Message out = new Message(q.getShort() & 0xffff);
        out.getHeader().setFlag(Flags.QR);
        out.getHeader().setRcode(Rcode.FORMERR);
        answered.increment();
        return out.toWire();
    }
}
