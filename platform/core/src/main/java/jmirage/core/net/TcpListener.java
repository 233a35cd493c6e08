package jmirage.core.net;

import jmirage.core.Promise;
import jmirage.core.Unit;

/** A listening TCP port. Closing it stops accepting; connections already accepted go on. */
public interface TcpListener {

    Endpoint local();

    Promise<Unit> close();
}
