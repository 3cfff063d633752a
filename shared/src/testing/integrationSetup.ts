// Integration tests wait on real services; a minute bounds a hung one without cutting a slow machine short.
jest.setTimeout(60_000);
