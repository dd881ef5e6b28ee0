// The commons HTTP API (contract A): recipes, versions, forks, lineage, attribution, licences, brew logs,
// batches and their costs, bookings, saved profiles, hardware, the ledger, pot splits and bundles, one route file per resource under its own prefix. Reads need a
// viewer, writes a member (the dashboard's global access check), recording others' contributions a brewer,
// importing a bundle an admin. Errors are the commons' typed errors, answered in the one error shape by the
// dashboard's error handler.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { CommonsStore } from '../commons/store.js';
import type { EnergySource } from '../costs/cost-of-batch.js';
import { batchRoutes, type FermenterControl } from './batch-routes.js';
import { bookingRoutes } from './booking-routes.js';
import { brewLogRoutes } from './brewlog-routes.js';
import { bundleRoutes } from './bundle-routes.js';
import { contributorRoutes } from './contributor-routes.js';
import { costRoutes } from './cost-routes.js';
import { hardwareRoutes } from './hardware-routes.js';
import { ledgerRoutes } from './ledger-routes.js';
import { licenceRoutes } from './licence-routes.js';
import { potSplitRoutes } from './pot-split-routes.js';
import { profileRoutes } from './profile-routes.js';
import { readingRoutes } from './reading-routes.js';
import { recipeRoutes } from './recipe-routes.js';
import { versionRoutes } from './version-routes.js';

export interface CommonsApiOptions {
  store: CommonsStore;
  /** The fermenters batches start on; without it the batch routes are left out. */
  control?: FermenterControl;
  /** Where batches' outputs' duty comes from (the history); their energy is unknown without it. */
  energy?: EnergySource;
}

export const commonsApi: FastifyPluginAsyncTypebox<CommonsApiOptions> = async (
  app,
  { store, control, energy },
) => {
  const withEnergy = energy === undefined ? {} : { energy };
  app.register(recipeRoutes, { store, prefix: '/api/recipes' });
  app.register(versionRoutes, { store, prefix: '/api/recipes/:id/versions' });
  app.register(potSplitRoutes, { store, ...withEnergy, prefix: '/api/recipes/:id/pot-split' });
  app.register(licenceRoutes, { prefix: '/api/licences' });
  app.register(brewLogRoutes, { store, prefix: '/api/brewlogs' });
  app.register(readingRoutes, { store, prefix: '/api/brewlogs/:id/readings' });
  app.register(ledgerRoutes, { store, prefix: '/api/ledger' });
  app.register(contributorRoutes, { store, prefix: '/api/contributors' });
  app.register(bundleRoutes, { store, prefix: '/api/commons/bundle' });
  app.register(profileRoutes, { store, prefix: '/api/profiles' });
  app.register(hardwareRoutes, { store, prefix: '/api/hardware' });
  if (control !== undefined) {
    app.register(batchRoutes, { store, control, prefix: '/api/batches' });
    app.register(bookingRoutes, { store, control, prefix: '/api/bookings' });
    app.register(costRoutes, { store, ...withEnergy, prefix: '/api/batches/:id' });
  }
};
