from parlure_ml.speech.cli import main

raise SystemExit(main())
