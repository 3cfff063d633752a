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

.PHONY: help install build up down status logs test test-unit test-integration bench clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

node_modules/.installed: package.json package-lock.json shared/package.json services/*/package.json
	npm ci --no-audit --no-fund
	@touch $@

install: node_modules/.installed ## install the npm dependencies (from the lock file)

build: install ## type-check and compile every workspace, tests included
	npx tsc -b

up: build ## run the whole stack: MinIO, RabbitMQ, Postgres and the ingest worker
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
ifeq ($(DOCKER),yes)
	docker compose ps
else
	-infra/local/services.sh status
	-infra/local/processes.sh status
endif

logs: ## follow the logs
ifeq ($(DOCKER),yes)
	docker compose logs -f
else
	infra/local/processes.sh logs
endif

test: build ## unit and integration tests, against real MinIO, RabbitMQ and Postgres
	npx jest

test-unit: build ## the fast unit tests only
	npx jest --selectProjects unit

test-integration: build ## the integration tests only
	npx jest --selectProjects integration

bench: up ## benchmark: upload-to-row latency over 300 uploads, against the running stack
	set -a && source .env && set +a && node services/ingest-worker/dist/bench/uploadToRow.js 300

clean: ## remove build output (not the data: see make down)
	rm -rf shared/dist services/*/dist *.tsbuildinfo shared/*.tsbuildinfo services/*/*.tsbuildinfo
