/**
 * A local stand-in for an Elastic Beanstalk environment, built from real parts on 127.0.0.1:
 * HAProxy as the Application Load Balancer, nginx per instance with the platform's layout and our
 * {@code .platform/nginx} files, the official Tomcat 11 and 10.1 distributions running
 * {@code target/tally.war} as ROOT.war, and Redis. Start it with {@link io.tally.standin.StandIn#start}
 * from tests or {@link io.tally.standin.StandInMain} from the command line (docs/DEPLOY.md).
 */
package io.tally.standin;
