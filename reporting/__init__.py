"""A version's report: a static, self-contained site in `v<N>/report/` (see README, "The report").

Reads published versions through `publishing`; never Prefect, never `flows`.
"""

from smartspec.reporting.site import REPORT_DIR, report_path, write_report

__all__ = ["REPORT_DIR", "report_path", "write_report"]
