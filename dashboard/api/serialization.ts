// How the API writes its responses: fastify's own fast-json-stringify serializers, each compiled at the
// first response of its route rather than when the route is added. Compiled up front, the 120 or so
// serializers of the dashboard's routes held 1.8 MB of generated source and their code, about 5 MB of heap,
// for routes most runs never answer.
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';

type Factory = ReturnType<typeof SerializerSelector>;

export const lazySerializers: Factory = (externalSchemas, options) => {
  const compile = SerializerSelector()(externalSchemas, options);
  return (route) => {
    let serialize: ReturnType<typeof compile> | undefined;
    return (doc) => {
      serialize ??= compile(route);
      return serialize(doc);
    };
  };
};
