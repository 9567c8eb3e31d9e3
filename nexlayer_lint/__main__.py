from nexlayer_lint.console import run

run()
