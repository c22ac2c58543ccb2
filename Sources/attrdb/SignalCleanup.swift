import AttrDB
import Foundation

/// On SIGINT or SIGTERM, removes the temporary files and folders of outputs being written (see
/// ``PendingOutputs``) and exits with 128 + the signal, as the default action would have.
///
/// The signals are blocked before any other thread starts, so every thread inherits the mask and
/// only the one thread that waits for them with `sigwait` receives them: it can then use the
/// file system freely, which a signal handler may not.
enum SignalCleanup {
    static func install() {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        let blocked = signals
        let waiter = Thread {
            var awaited = blocked
            var received: Int32 = 0
            sigwait(&awaited, &received)
            PendingOutputs.removeAll()
            _exit(128 + received)
        }
        waiter.start()
    }
}
