from cardpress.cli import main

main()
