import sys

from voice_interviewer.cli.app import main

sys.exit(main())
