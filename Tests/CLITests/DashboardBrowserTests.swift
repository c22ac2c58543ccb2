import Foundation
import XCTest

/// The dashboard of `attrdb serve` in headless Chromium (Tests/browser/dashboard.py, over the
/// DevTools protocol): no console error, a heatmap click fills the top table, a component click
/// draws its profile, a checkpoint ingested while the page is open appears within 2 s, hostile
/// names show as text.
final class DashboardBrowserTests: XCTestCase {
    func testDashboardInHeadlessChromium() throws {
        let folder = try TemporaryFolder()
        let script = CLI.repositoryRoot.appendingPathComponent("Tests/browser/dashboard.py").path
        let result = try CLI.run([script, "--attrdb", CLI.binary.path, "--out", folder.path("dashboard.png")],
                                 executable: URL(fileURLWithPath: "/usr/bin/env"), prefix: ["python3"])
        if result.status == 77 { throw XCTSkip("chromium is not installed (make test-deps installs it)") }
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("all browser checks passed"), result.stdout)
        let png = try Data(contentsOf: URL(fileURLWithPath: folder.path("dashboard.png")))
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47], "the screenshot is a PNG")
    }
}
