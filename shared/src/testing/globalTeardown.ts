import { stopDockerServices } from './dockerServices';

/** Containers are stopped; local services stay up for the next run (`make down` stops them). */
export default async function globalTeardown(): Promise<void> {
  await stopDockerServices();
}
