//! The latency proxy of `--rtt-ms N`: a TCP relay that holds every chunk of bytes N/2 ms in each
//! direction, so that a client on loopback waits as it would for a server N ms away.
//!
//! Each direction of a connection is a reader thread, which stamps each chunk with the time it
//! may go on, and a writer thread, which sends the chunks in order when their time comes: bytes
//! keep flowing while earlier ones are held, as on a network whose bandwidth is not the limit.
//! The end of a stream (FIN) is held the same way.
//!
//! A client's `connect` returns at once here (the kernel accepts for the proxy), where on a
//! network it would take a round trip; so the first chunk from the client is held one round trip
//! more. For a client that sends as soon as it is connected (a ClientHello, a request) the server
//! then gets its first bytes 1.5 round trips after the connect began, as over a real network.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// Relays every connection to `listener` to `upstream`, with `rtt` of round-trip time.
pub fn run(listener: TcpListener, upstream: SocketAddr, rtt: Duration) {
    for client in listener.incoming() {
        let Ok(client) = client else { continue };
        thread::spawn(move || {
            // A failed connection ends itself; the client sees it closed.
            let _ = relay(client, upstream, rtt);
        });
    }
}

fn relay(client: TcpStream, upstream: SocketAddr, rtt: Duration) -> io::Result<()> {
    let server = TcpStream::connect(upstream)?;
    client.set_nodelay(true)?;
    server.set_nodelay(true)?;
    let half = rtt / 2;
    pipe(client.try_clone()?, server.try_clone()?, half, rtt)?;
    pipe(server, client, half, Duration::ZERO)?;
    Ok(())
}

/// Copies `from` to `to`, each chunk `delay` after it was read, the first `first_extra` later
/// still; at the end of `from`, shuts down `to`'s writing half as late.
fn pipe(
    mut from: TcpStream,
    mut to: TcpStream,
    delay: Duration,
    first_extra: Duration,
) -> io::Result<()> {
    // `None`: the end of the stream.
    let (tx, rx) = mpsc::channel::<(Instant, Option<Vec<u8>>)>();
    thread::Builder::new().spawn(move || {
        let mut buf = vec![0u8; 64 * 1024];
        let mut extra = first_extra;
        loop {
            let chunk = match from.read(&mut buf) {
                Ok(0) | Err(_) => None,
                Ok(n) => Some(buf[..n].to_vec()),
            };
            let done = chunk.is_none();
            if tx.send((Instant::now() + delay + extra, chunk)).is_err() || done {
                break;
            }
            extra = Duration::ZERO;
        }
        // The writer is gone or the stream ended: stop reading what no one will send.
        let _ = from.shutdown(Shutdown::Read);
    })?;
    thread::Builder::new().spawn(move || {
        for (due, chunk) in rx {
            let now = Instant::now();
            if due > now {
                thread::sleep(due - now);
            }
            match chunk {
                Some(bytes) if to.write_all(&bytes).is_ok() => {}
                _ => break,
            }
        }
        let _ = to.shutdown(Shutdown::Write);
    })?;
    Ok(())
}
