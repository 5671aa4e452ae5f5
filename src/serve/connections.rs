//! A bound on the connections `serve` holds, each on a thread of its own. A client that
//! opens connections and sends nothing must not take every thread: when the bound is
//! reached, the connection that has waited longest for its request head is closed to make
//! room (a browser sends its head at once, so that is the idle one); when none is waiting,
//! the new connection is answered 503.

use std::collections::VecDeque;
use std::net::{Shutdown, TcpStream};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// The most connections served at once. A browser opens at most 6 to one host; a few tabs,
/// their event streams and a script polling the status stay well under it.
pub const MAX_CONNECTIONS: usize = 64;

/// The most event streams (open pages) at once: each holds its connection for as long as
/// its page is open, so they are bounded apart, leaving room for the pages' requests.
pub const MAX_EVENT_STREAMS: usize = 16;

/// How long a new connection waits for the one closed for it to end.
const HANDOVER: Duration = Duration::from_secs(1);

/// The connections being served.
#[derive(Default)]
pub struct Connections {
    slots: Mutex<Slots>,
    freed: Condvar,
}

#[derive(Default)]
struct Slots {
    active: usize,
    events: usize,
    next: u64,
    /// Connections still reading their head, oldest first, with a handle to close them.
    waiting: VecDeque<(u64, TcpStream)>,
}

/// A connection's place among the [`Connections`]; given back when dropped.
pub struct Slot {
    connections: Arc<Connections>,
    id: u64,
    event_stream: bool,
}

/// Why a connection was not admitted.
#[derive(Debug)]
pub struct Full;

impl Connections {
    /// Admits `stream`, closing the oldest connection still waiting for its head when all
    /// slots are taken; `Err(Full)` when none could be freed.
    pub fn admit(self: &Arc<Self>, stream: &TcpStream) -> Result<Slot, Full> {
        let handle = stream.try_clone().map_err(|_| Full)?;
        let mut slots = self.lock();
        if slots.active >= MAX_CONNECTIONS {
            let Some((_, idle)) = slots.waiting.pop_front() else {
                return Err(Full);
            };
            let _ = idle.shutdown(Shutdown::Both);
            slots = self
                .freed
                .wait_timeout_while(slots, HANDOVER, |s| s.active >= MAX_CONNECTIONS)
                .expect("no panics while holding the lock")
                .0;
            if slots.active >= MAX_CONNECTIONS {
                return Err(Full);
            }
        }
        slots.active += 1;
        slots.next += 1;
        let id = slots.next;
        slots.waiting.push_back((id, handle));
        Ok(Slot {
            connections: Arc::clone(self),
            id,
            event_stream: false,
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Slots> {
        self.slots.lock().expect("no panics while holding the lock")
    }
}

impl Slot {
    /// The head has been read: the connection is no longer one to close for a newcomer.
    pub fn head_read(&self) {
        self.connections
            .lock()
            .waiting
            .retain(|(id, _)| *id != self.id);
    }

    /// Makes this connection an event stream, if fewer than [`MAX_EVENT_STREAMS`] are open.
    pub fn become_event_stream(&mut self) -> Result<(), Full> {
        let mut slots = self.connections.lock();
        if slots.events >= MAX_EVENT_STREAMS {
            return Err(Full);
        }
        slots.events += 1;
        self.event_stream = true;
        Ok(())
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut slots = self.connections.lock();
        slots.waiting.retain(|(id, _)| *id != self.id);
        slots.active -= 1;
        if self.event_stream {
            slots.events -= 1;
        }
        self.connections.freed.notify_all();
    }
}
