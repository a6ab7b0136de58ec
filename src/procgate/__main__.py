from procgate.cli import main

main()
