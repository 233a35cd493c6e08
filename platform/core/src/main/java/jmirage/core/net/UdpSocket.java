package jmirage.core.net;

import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;

/** A bound UDP port. Datagrams go to the receiver given at bind time, on the loop. */
public interface UdpSocket {

    Endpoint local();

    Promise<Result<Unit, NetError>> send(Endpoint destination, Bytes payload);

    Promise<Unit> close();
}
