from nexlayer_lint.cli import main

main()
