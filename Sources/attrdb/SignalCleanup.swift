import AttrDB
import Foundation
import Synchronization

/// On SIGINT or SIGTERM, removes the temporary files and folders of outputs being written (see
/// ``PendingOutputs``) and exits with 128 + the signal, as the default action would have.
///
/// The signals are blocked before any other thread starts, so every thread inherits the mask and
/// only the one thread that waits for them with `sigwait` receives them: it can then use the
/// file system freely, which a signal handler may not.
enum SignalCleanup {
    /// What the first SIGINT or SIGTERM does instead of exiting, when a command sets it.
    private static let stopAction = Mutex<(@Sendable () -> Void)?>(nil)

    /// Makes the first SIGINT or SIGTERM call `stop` (on the signal thread) instead of exiting.
    static func onSignal(_ stop: @escaping @Sendable () -> Void) {
        stopAction.withLock { $0 = stop }
    }

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
            // `attrdb serve` stops cleanly instead: it finishes and returns with status 0. A
            // second signal while it stops exits at once.
            if let stop = stopAction.withLock({ $0 }) {
                stop()
                sigwait(&awaited, &received)
            }
            _exit(128 + received)
        }
        waiter.start()
    }
}
