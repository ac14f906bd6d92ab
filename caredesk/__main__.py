from caredesk.cli import main

main()
