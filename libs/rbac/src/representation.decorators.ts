import { SetMetadata } from '@nestjs/common';

export const PRODUCES_KEY = 'frontdoor:produces';
export const XML_ROOT_KEY = 'frontdoor:xml-root';

/**
 * The route writes its own media type (e.g. Prometheus text on `/metrics`, HTML on `/docs`): the content
 * negotiation interceptor neither answers 406 nor re-encodes its answer.
 */
export const Produces = (mediaType: string) => SetMetadata(PRODUCES_KEY, mediaType);

/** The root element of the route's XML answers (default `response`); must be an XML name. */
export const XmlRoot = (name: string) => SetMetadata(XML_ROOT_KEY, name);
