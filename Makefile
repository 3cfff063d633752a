# The two commands a new machine needs are `make up` and `make test`; both install what they
# need. With a Docker engine the stack runs in docker compose; without one, through infra/local.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# A Node of at least 22.22, installed from the npm registry when the machine's is older.
NODE_DIR := $(shell infra/local/node.sh)
export PATH := $(NODE_DIR):$(PATH)
DOCKER := $(shell docker info >/dev/null 2>&1 && echo yes)
# TOPOLOGY=cluster: three RabbitMQ nodes, four MinIO nodes and a Postgres primary with a replica,
# behind load balancers (docker-compose.cluster.yml, or infra/local/cluster.sh); empty or single:
# one of each. Exported, so the scripts and our processes see the same stack.
export TOPOLOGY
ifneq ($(filter-out single cluster,$(TOPOLOGY)),)
$(error TOPOLOGY must be empty, single or cluster, not '$(TOPOLOGY)')
endif
CLUSTER := $(filter cluster,$(TOPOLOGY))
RUNTIME := $(if $(DOCKER),docker compose,local processes (no Docker engine))$(if $(CLUSTER), and the clustered topology)
# The state folder of the local stack (infra/local/lib.sh); the clustered topology's is inside it.
STATE := $(or $(USERPIPE_STATE_DIR),.local)
# stop-processes,TOPOLOGY: stops our local processes of that topology, if any run (pid files).
# They hold the same ports in both topologies, so one's are stopped before the other's start.
stop-processes = if compgen -G '$(STATE)$(if $(filter cluster,$(1)),/cluster)/run/*.pid' >/dev/null; then TOPOLOGY=$(1) infra/local/processes.sh stop; fi

.PHONY: help install build lint up down status logs check test test-unit test-integration test-cluster fuzz rebuild demo replay-dead-letters bench bench-ingest bench-events bench-query bench-rebuild bench-drain bench-console bench-export clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

node_modules/.installed: package.json package-lock.json shared/package.json services/*/package.json
	npm ci --no-audit --no-fund
	@touch $@

install: node_modules/.installed ## install the npm dependencies (from the lock file)

# What `tsc -b` reads: every workspace's TypeScript and tsconfig, and the folders holding them
# (deleting or renaming a file changes its folder's time). Listed on each make run, in a few
# milliseconds: with nothing newer than the stamp, a command starts its work without even tsc's
# own up-to-date check (a second or more of Node).
BUILD_INPUTS := $(shell find tsconfig.base.json tsconfig.json shared services \( -name node_modules -o -name dist \) -prune -o \( -type d -o -name '*.ts' -o -name 'tsconfig*.json' \) -print)

node_modules/.built: node_modules/.installed $(BUILD_INPUTS)
	npx tsc -b
	@touch $@

build: node_modules/.built ## type-check and compile every workspace, tests included

lint: build ## ESLint with typescript-eslint's type-aware rules (eslint.config.mjs): mistakes, not style
	npx eslint --max-warnings 0 .

up: build ## run the whole stack: MinIO, RabbitMQ, Postgres, the ingest worker, the query API and the rebuild scheduler; TOPOLOGY=cluster: clustered
	@echo "make up: using $(RUNTIME)"
ifeq ($(DOCKER),yes)
ifeq ($(CLUSTER),cluster)
	infra/local/ensure-env.sh
	docker compose -f docker-compose.cluster.yml up -d --build --wait
else
	infra/local/ensure-env.sh
	docker compose up -d --build --wait
endif
else
	@$(call stop-processes,$(if $(CLUSTER),single,cluster))
	infra/local/services.sh up
	infra/local/processes.sh start
	@infra/local/services.sh status && infra/local/processes.sh status
endif

down: ## stop the stack (data is kept): both topologies', or with TOPOLOGY=single or cluster that one's
	@echo "make down: using $(RUNTIME)"
ifeq ($(DOCKER),yes)
ifneq ($(TOPOLOGY),cluster)
	docker compose down
endif
ifneq ($(TOPOLOGY),single)
	[ ! -f docker-compose.cluster.yml ] || docker compose -f docker-compose.cluster.yml down
endif
else
ifneq ($(TOPOLOGY),cluster)
	TOPOLOGY=single infra/local/processes.sh stop
	TOPOLOGY=single infra/local/services.sh down
endif
ifneq ($(TOPOLOGY),single)
	@$(call stop-processes,cluster)
	TOPOLOGY=cluster infra/local/cluster.sh down
endif
endif

status: ## show what is running (of TOPOLOGY's stack)
	@echo "make status: using $(RUNTIME)"
ifeq ($(DOCKER),yes)
	docker compose $(if $(CLUSTER),-f docker-compose.cluster.yml )ps
else
	-infra/local/services.sh status
	-infra/local/processes.sh status
endif

logs: ## follow the logs
	@echo "make logs: using $(RUNTIME)"
ifeq ($(DOCKER),yes)
	docker compose $(if $(CLUSTER),-f docker-compose.cluster.yml )logs -f
else
	infra/local/processes.sh logs
endif

check: ## static checks: docker-compose.yml is valid; every setting is documented in .env.example
	infra/ci/check-settings.sh
	infra/ci/check-compose.sh

test: build lint ## the linter, then unit and integration tests, against real MinIO, RabbitMQ and Postgres (and the console in Debian's Chromium)
	@echo "make test: services from TEST_*_URL if set, else $(if $(DOCKER),Docker (testcontainers),infra/local)"
	infra/local/chromium.sh >/dev/null
	npx jest

test-unit: build ## the fast unit tests only
	npx jest --selectProjects unit

test-integration: build ## the integration tests only
	infra/local/chromium.sh >/dev/null
	npx jest --selectProjects integration

# Always on the local processes, even where a Docker engine is: the test kills nodes by their pid
# and brings them back with infra/local/cluster.sh.
test-cluster: build ## the node-loss test on the clustered stack: a storm of USERS (3000) users' files, a RabbitMQ and a MinIO node killed mid-storm, then checked against the bucket; RUNS=n in a row
	@$(call stop-processes,single)
	TOPOLOGY=cluster infra/local/services.sh up
	TOPOLOGY=cluster infra/local/processes.sh start
	TOPOLOGY=cluster infra/local/run.sh node services/node-loss/dist/main.js $(or $(USERS),3000) --runs $(or $(RUNS),1)

fuzz: build ## fuzz the query API with schemathesis (all checks, >= 1,000 cases) on its own port and database; SEED=n
	@echo "make fuzz: local services (infra/local), a query API of its own, schemathesis from PyPI in .local/fuzz-venv"
	$(if $(SEED),FUZZ_SEED=$(SEED)) infra/fuzz/run.sh

rebuild: build ## reconcile every user with the bucket now; FULL=1 rereads every csv
	@echo "make rebuild: using $(RUNTIME)"
ifeq ($(DOCKER),yes)
	docker compose run --rm rebuild node services/rebuild/dist/cli.js $(if $(FULL),--full)
else
	infra/local/services.sh up postgres minio
	infra/local/run.sh node services/rebuild/dist/cli.js $(if $(FULL),--full)
endif

demo: up ## upload a realistic population to src and print a few requests to try
	infra/local/run.sh node services/demo/dist/main.js 500

replay-dead-letters: build ## put the ingest dead-letter queue's messages back on the ingest queue
	infra/local/run.sh node services/ingest-worker/dist/replayDeadLetters.js

bench: bench-ingest bench-events bench-query bench-rebuild bench-drain bench-console bench-export ## all benchmarks (they print figures; nothing is asserted)

bench-ingest: up ## upload-to-row latency against the running stack: 300 uploads one after another, then 200 uploads/s for 20 s
	infra/local/run.sh node services/ingest-worker/dist/bench/uploadToRow.js 300 200 20

bench-events: build ## what a bucket event costs RabbitMQ as MinIO publishes it (MQTT now; AMQP, a channel per event, before) against one channel
	infra/local/services.sh up rabbitmq
	infra/local/run.sh node services/ingest-worker/dist/bench/eventCost.js

bench-query: up ## query API latency and streaming on a table of 1,000,000 users
	infra/local/run.sh node services/query-api/dist/bench/queryLatency.js 1000000 300

bench-rebuild: up ## rebuild of 100,000 users (half with pictures) against a plain download
	infra/local/run.sh node services/rebuild/dist/bench/rebuildSpeed.js 100000

bench-console: build ## the web console on 1,000,000 users in Debian's Chromium: first render of 100 rows; GET /users/{id}/image latency
	infra/local/services.sh up
	infra/local/chromium.sh >/dev/null
	infra/local/run.sh node services/query-api/dist/bench/consoleRender.js 1000000

bench-drain: build ## ingest worker draining a backlog of 8,000 users (1, 2, 2 and 1 workers) against a plain download; USERS=n, DRAIN_WORKERS=1,2 (other counts), the workers' Node options WORKER_NODE_OPTIONS, DRAIN_WORKER_CPUS=0.5 (each worker held to half a core, as root); beside the workers, the plain reads split over as many processes
	infra/local/run.sh node services/ingest-worker/dist/bench/drain.js $(or $(USERS),8000)

bench-export: build ## the output.csv export at 100,000 and 1,000,000 users against a bare COPY and PUT (SIZES=n,m)
	infra/local/services.sh up
	infra/local/run.sh node services/ingest-worker/dist/bench/exportSpeed.js $(SIZES)

clean: ## remove build output (not the data: see make down)
	rm -rf shared/dist services/*/dist *.tsbuildinfo shared/*.tsbuildinfo services/*/*.tsbuildinfo node_modules/.built
