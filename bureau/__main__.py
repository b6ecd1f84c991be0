"""`python -m bureau` runs the safegrid command."""

from bureau.cli import main

main()
