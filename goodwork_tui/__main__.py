from goodwork_tui.cli import main

raise SystemExit(main())
