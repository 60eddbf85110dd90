from fairwitness.cli import main

main()
