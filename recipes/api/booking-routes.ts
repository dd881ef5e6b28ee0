// The fermenter calendar, under /api/bookings: the bookings, booking a period (a member), cancelling one
// that has not started (its booker or an admin). Starting a batch with `bookingId` makes it the batch.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../common/error-schema.js';
import type { CommonsStore } from '../commons/store.js';
import type { FermenterControl } from './batch-routes.js';
import {
  BookingListSchema,
  BookingParamsSchema,
  BookingQuerySchema,
  BookingSchema,
  NewBookingSchema,
} from './schemas.js';
import { author } from './viewer.js';

export const bookingRoutes: FastifyPluginAsyncTypebox<{
  store: CommonsStore;
  control: FermenterControl;
}> = async (app, { store, control }) => {
  const tags = ['bookings'];

  app.get(
    '',
    {
      schema: {
        tags,
        summary: 'The calendar: bookings by fermenter and start',
        querystring: BookingQuerySchema,
        response: { 200: BookingListSchema, ...errorResponses(400, 401) },
      },
    },
    async (req) => ({
      bookings: store.bookings.list({ fermenterId: req.query.fermenter, from: req.query.from }),
    }),
  );

  app.post(
    '',
    {
      schema: {
        tags,
        summary:
          'Books a fermenter for a period; 409 COBREW_ERR_BOOKING_CONFLICT names the booking in the way',
        body: NewBookingSchema,
        response: { 201: BookingSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      control.check(req.body.fermenterId);
      const booking = store.bookings.book(req.body, author(req));
      reply.code(201);
      return booking;
    },
  );

  app.delete(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Cancels a booking that has not started (its booker or an admin)',
        params: BookingParamsSchema,
        response: { 204: { type: 'null', description: 'Cancelled' }, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      store.bookings.cancel(req.params.id, author(req));
      return reply.code(204).send();
    },
  );
};
