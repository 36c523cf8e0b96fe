"""Run one unittest suite and print a machine-readable summary line.

usage: python3 -m tests.run_suite discover DIR | python3 -m tests.run_suite module NAME...
The last line is ``SUITE-RESULT passed=N failed=N skipped=N``; exit code 0 only if failed=0.
"""

import sys
import unittest


class _Result(unittest.TextTestResult):
    """Keeps successes too, for the per-test summary printed after the run."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.passed_tests = []

    def addSuccess(self, test):
        super().addSuccess(test)
        self.passed_tests.append(test)


def main(argv):
    kind, args = argv[0], argv[1:]
    loader = unittest.TestLoader()
    if kind == 'discover':
        suite = loader.discover(args[0], top_level_dir='.')
    else:
        suite = loader.loadTestsFromNames(args)
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout,
                                     resultclass=_Result).run(suite)
    # Log noise can interleave with the runner's "... ok"; restate each outcome on its own line.
    for test in result.passed_tests:
        print('PASS %s' % test.id())
    for kind, items in (('FAIL', result.failures), ('ERROR', result.errors),
                        ('SKIP', result.skipped)):
        for test, _ in items:
            print('%s %s' % (kind, test.id()))
    for test in result.unexpectedSuccesses:
        print('FAIL %s (unexpected success)' % test.id())
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    skipped = len(result.skipped)
    passed = result.testsRun - len(result.failures) - len(result.errors) - skipped \
        - len(result.expectedFailures) - len(result.unexpectedSuccesses)
    # An error in setUpClass/a module import is counted as a failure, never lost.
    print('SUITE-RESULT passed=%d failed=%d skipped=%d' % (max(passed, 0), failed, skipped))
    sys.stdout.flush()
    return 0 if failed == 0 else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
