//! Runs a child on hostile input under bounds that do not depend on the machine's speed:
//! an address-space limit (`setrlimit(RLIMIT_AS)`) and a kill timeout long enough to catch
//! only hangs. A blow-up in time or memory then fails the test, never the machine, and a
//! slow, loaded machine never fails a test that would pass on a fast one.

use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

/// Address space a child may take: small sites build in a fraction of it.
pub const MEMORY_LIMIT: u64 = 2 << 30;

/// How long a child may run before it is killed and the test fails: real runs take
/// seconds, a quadratic blow-up on the inputs of these tests takes far longer.
pub const KILL_AFTER: Duration = Duration::from_secs(120);

/// What a bounded child left: its output and its peak resident memory.
pub struct Bounded {
    /// Exit status, stdout and stderr.
    pub output: Output,
    /// Peak resident set of the child alone, in KiB (from `wait4`, so tests running in
    /// parallel do not count).
    pub peak_kib: i64,
}

/// Runs `command` (stdin closed, stdout and stderr captured) with at most `memory` bytes of
/// address space; panics when it is still running after [`KILL_AFTER`].
pub fn run(mut command: Command, memory: u64) -> Bounded {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: setrlimit is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        command.pre_exec(move || {
            let limit = libc::rlimit {
                rlim_cur: memory,
                rlim_max: memory,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    // Reaped by `wait4` below, which also gives its peak memory.
    #[allow(clippy::zombie_processes)]
    let mut child = command.spawn().expect("run the child");
    let pid = child.id() as i32;
    // Drained as the child writes (a full pipe would stall it).
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes)
                .expect("read the child's output");
            bytes
        })
    };
    let stdout = drain(Box::new(child.stdout.take().expect("piped")));
    let stderr = drain(Box::new(child.stderr.take().expect("piped")));
    let started = Instant::now();
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid out-parameter.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: wait4 on our own child, with valid out-pointers.
        let reaped = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if reaped == pid {
            break;
        }
        assert_eq!(reaped, 0, "wait4 failed");
        if started.elapsed() > KILL_AFTER {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{command:?} still running after {KILL_AFTER:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Bounded {
        output: Output {
            status: ExitStatus::from_raw(status),
            stdout: stdout.join().expect("stdout"),
            stderr: stderr.join().expect("stderr"),
        },
        peak_kib: usage.ru_maxrss,
    }
}
