# The two commands a new machine needs are `make up` and `make test`; both install what they
# need. With a Docker engine the stack runs in docker compose; without one, through infra/local.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# A Node of at least 22.22, installed from the npm registry when the machine's is older.
NODE_DIR := $(shell infra/local/node.sh)
export PATH := $(NODE_DIR):$(PATH)
DOCKER := $(shell docker info >/dev/null 2>&1 && echo yes)
RUNTIME := $(if $(DOCKER),docker compose,local processes (no Docker engine))

.PHONY: help install build up down status logs check test test-unit test-integration test-cluster fuzz rebuild demo replay-dead-letters bench bench-ingest bench-query bench-rebuild bench-drain bench-console bench-export clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

node_modules/.installed: package.json package-lock.json shared/package.json services/*/package.json
	npm ci --no-audit --no-fund
	@touch $@

install: node_modules/.installed ## install the npm dependencies (from the lock file)

build: install ## type-check and compile every workspace, tests included
	npx tsc -b

up: build ## run the whole stack: MinIO, RabbitMQ, Postgres, the ingest worker, the query API and the rebuild scheduler
	@echo "make up: using $(RUNTIME)"
ifeq ($(DOCKER),yes)
	infra/local/ensure-env.sh
	docker compose up -d --build --wait
else
	infra/local/services.sh up
	infra/local/processes.sh start
	@infra/local/services.sh status && infra/local/processes.sh status
endif

down: ## stop the stack (data is kept)
	@echo "make down: using $(RUNTIME)"
ifeq ($(DOCKER),yes)
	docker compose down
else
	infra/local/processes.sh stop
	infra/local/services.sh down
endif

status: ## show what is running
	@echo "make status: using $(RUNTIME)"
ifeq ($(DOCKER),yes)
	docker compose ps
else
	-infra/local/services.sh status
	-infra/local/processes.sh status
endif

logs: ## follow the logs
	@echo "make logs: using $(RUNTIME)"
ifeq ($(DOCKER),yes)
	docker compose logs -f
else
	infra/local/processes.sh logs
endif

check: ## static checks: docker-compose.yml is valid; every setting is documented in .env.example
	infra/ci/check-settings.sh
	infra/ci/check-compose.sh

test: build ## unit and integration tests, against real MinIO, RabbitMQ and Postgres (and the console in Debian's Chromium)
	@echo "make test: services from TEST_*_URL if set, else $(if $(DOCKER),Docker (testcontainers),infra/local)"
	infra/local/chromium.sh >/dev/null
	npx jest

test-unit: build ## the fast unit tests only
	npx jest --selectProjects unit

test-integration: build ## the integration tests only
	infra/local/chromium.sh >/dev/null
	npx jest --selectProjects integration

test-cluster: ## the node-loss test on the clustered stack: a storm of USERS (3000) users' files, a RabbitMQ and a MinIO node killed mid-storm, then checked against the bucket; RUNS=n in a row
	$(MAKE) up TOPOLOGY=cluster
	TOPOLOGY=cluster infra/local/run.sh node services/node-loss/dist/main.js $(or $(USERS),3000) --runs $(or $(RUNS),1)

fuzz: build ## fuzz the query API with schemathesis (all checks, >= 1,000 cases) on its own port and database; SEED=n
	@echo "make fuzz: local services (infra/local), a query API of its own, schemathesis from PyPI in .local/fuzz-venv"
	$(if $(SEED),FUZZ_SEED=$(SEED)) infra/fuzz/run.sh

rebuild: build ## reconcile every user with the bucket now; FULL=1 rereads every csv
	@echo "make rebuild: using $(RUNTIME)"
ifeq ($(DOCKER),yes)
	docker compose run --rm rebuild node services/rebuild/dist/cli.js $(if $(FULL),--full)
else
	infra/local/services.sh up
	infra/local/run.sh node services/rebuild/dist/cli.js $(if $(FULL),--full)
endif

demo: up ## upload a realistic population to src and print a few requests to try
	infra/local/run.sh node services/demo/dist/main.js 500

replay-dead-letters: build ## put the ingest dead-letter queue's messages back on the ingest queue
	infra/local/run.sh node services/ingest-worker/dist/replayDeadLetters.js

bench: bench-ingest bench-query bench-rebuild bench-drain bench-console bench-export ## all benchmarks (they print figures; nothing is asserted)

bench-ingest: up ## upload-to-row latency against the running stack: 300 uploads one after another, then 200 uploads/s for 20 s
	infra/local/run.sh node services/ingest-worker/dist/bench/uploadToRow.js 300 200 20

bench-query: up ## query API latency and streaming on a table of 1,000,000 users
	infra/local/run.sh node services/query-api/dist/bench/queryLatency.js 1000000 300

bench-rebuild: up ## rebuild of 100,000 users (half with pictures) against a plain download
	infra/local/run.sh node services/rebuild/dist/bench/rebuildSpeed.js 100000

bench-console: build ## the web console on 1,000,000 users in Debian's Chromium: first render of 100 rows; GET /users/{id}/image latency
	infra/local/services.sh up
	infra/local/chromium.sh >/dev/null
	infra/local/run.sh node services/query-api/dist/bench/consoleRender.js 1000000

bench-drain: build ## ingest worker draining a backlog of 8,000 users (1 and 2 workers) against a plain download; USERS=n, the workers' Node options WORKER_NODE_OPTIONS
	infra/local/run.sh node services/ingest-worker/dist/bench/drain.js $(or $(USERS),8000)

bench-export: build ## the output.csv export at 100,000 and 1,000,000 users against a bare COPY and PUT (SIZES=n,m)
	infra/local/services.sh up
	infra/local/run.sh node services/ingest-worker/dist/bench/exportSpeed.js $(SIZES)

clean: ## remove build output (not the data: see make down)
	rm -rf shared/dist services/*/dist *.tsbuildinfo shared/*.tsbuildinfo services/*/*.tsbuildinfo
