# A newcomer needs two commands: `make run` and `make test`. Everything else is installed here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
STAMP  := $(VENV)/.installed

.PHONY: run test test-pg lint format install lock bench clean translations

$(STAMP): requirements.lock requirements-dev.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Rootline needs Python 3.11 or newer")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	@touch $@

# The compiled Polish (and any other) catalogs: rebuilt whenever a .po file changes. One
# catalog per area (translations/config/DOMAIN.cfg says which files feed it).
DOMAINS  := messages blueprint backlog workbooks
CATALOGS := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/*.po))
$(CATALOGS): %.mo: %.po $(STAMP)
	$(BIN)/pybabel -q compile -i $< -o $@

install: $(STAMP) $(CATALOGS)

## For translators: collect each area's strings into translations/DOMAIN.pot and merge the
## new ones into every language's DOMAIN.po (translate them there; `make install` compiles).
translations: $(STAMP)
	@for d in $(DOMAINS); do \
	  $(BIN)/pybabel -q extract --no-location --sort-output -F translations/config/$$d.cfg \
	    -k _l -k N_ -k N_plural:1,2 -k lazy_gettext -k lazy_ngettext:1,2 -k lazy_pgettext:1c,2 -o translations/$$d.pot . || exit 1; \
	  $(BIN)/pybabel -q update --no-fuzzy-matching --ignore-obsolete -D $$d \
	    -i translations/$$d.pot -d translations || exit 1; \
	done

## The demo on embedded SQLite in instance/, seeded on first start (the English demo and
## the Polish one beside it), served on 127.0.0.1:5000,
## with one job worker beside the web server (Ctrl+C stops both).
run: $(STAMP) $(CATALOGS)
	@mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	$(FLASK) seed-demo --lang pl --if-empty
	@echo
	@echo "  Rootline is running at http://127.0.0.1:5000"
	@echo "  Demo login (demo only): demo@example.com / rootline-demo"
	@echo "  Polish demo (po polsku): agnieszka@example.com / rootline-demo"
	@echo
	$(FLASK) run-with-worker --host 127.0.0.1 --port 5000

## The whole suite on SQLite (set TEST_DATABASE_URL to run it on PostgreSQL instead).
test: $(STAMP) $(CATALOGS)
	$(BIN)/ruff check --quiet .
	$(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$rc

## The whole suite on PostgreSQL at 127.0.0.1:5432, in a throwaway database.
test-pg: $(STAMP)
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/postgres} \
	  $(MAKE) --no-print-directory test

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	@for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis test-artifacts
