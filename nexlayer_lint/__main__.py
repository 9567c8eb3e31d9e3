from nexlayer_lint.cli import run

run()
